package dev.sett.kv.levels;

import dev.sett.kv.CorruptionException;
import dev.sett.kv.internal.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the levels at open from the replayed MANIFEST: checks that every table it lists exists,
 * deletes the table files it does not list (orphans of a crash during a flush or compaction),
 * opens the listed tables and checks their levels, giving the first {@link TableSet} of a new
 * {@link LevelState}.
 *
 * <p>Runs on the opening thread before the state is shared, so it needs no lock. A database that
 * cannot open stays as it was: every check on the listed files comes before the first deletion.
 */
final class TableSetLoader {
  private static final System.Logger LOG = System.getLogger(TableSetLoader.class.getName());

  private TableSetLoader() {}

  /**
   * Opens the tables the MANIFEST lists and deletes table files it does not list.
   *
   * @param config the providers and options
   * @param manifest the replayed MANIFEST
   * @return the state, its current set holding the listed tables
   * @throws CorruptionException if a listed table is missing or damaged, or levels overlap
   * @throws IOException if the directory cannot be read
   */
  static LevelState open(LevelsConfig config, Manifest manifest) throws IOException {
    Map<Long, Manifest.TableEntry> listed = manifest.state().tables();
    // Check before deleting anything: a database that cannot open must stay as it was.
    for (long id : listed.keySet()) {
      if (!config.storage().exists(TableFiles.name(id))) {
        throw new CorruptionException(TableFiles.name(id), 0,
            "the MANIFEST lists this table but the file is missing");
      }
    }
    long maxId = deleteOrphans(config, listed);
    for (long id : listed.keySet()) {
      maxId = Math.max(maxId, id);
    }
    LevelState state = new LevelState(config, manifest, maxId + 1);
    state.init(load(state, listed));
    return state;
  }

  /** Deletes the table files the MANIFEST does not list; returns the highest id of any file. */
  private static long deleteOrphans(LevelsConfig config, Map<Long, Manifest.TableEntry> listed)
      throws IOException {
    long maxId = 0;
    for (String name : config.storage().list()) {
      long id = TableFiles.id(name);
      if (id < 0) {
        continue;
      }
      maxId = Math.max(maxId, id);
      if (!listed.containsKey(id)) {
        config.storage().delete(name);
        LOG.log(System.Logger.Level.INFO, "deleted {0}: the MANIFEST does not list it (left by"
            + " a flush or compaction that a crash interrupted)", name);
      }
    }
    return maxId;
  }

  /** Opens the listed tables into their levels; on failure closes those it opened. */
  private static TableSet load(LevelState state, Map<Long, Manifest.TableEntry> listed)
      throws IOException {
    LevelsConfig config = state.config();
    List<List<TableHandle>> levels = new ArrayList<>();
    for (int i = 0; i < config.maxLevels(); i++) {
      levels.add(new ArrayList<>());
    }
    try {
      for (Map.Entry<Long, Manifest.TableEntry> e : listed.entrySet()) {
        long id = e.getKey();
        int level = e.getValue().level();
        if (level < 0 || level >= config.maxLevels()) {
          throw new CorruptionException(Manifest.FILE_NAME, 0, "table " + TableFiles.name(id)
              + " is in level " + level + " but the database has " + config.maxLevels()
              + " levels (maxLevels)");
        }
        levels.get(level).add(state.openTable(id, e.getValue().format()));
      }
      TableHandle[][] arr = new TableHandle[config.maxLevels()][];
      for (int i = 0; i < arr.length; i++) {
        List<TableHandle> l = levels.get(i);
        l.sort(i == 0 ? TableSet.L0_ORDER : TableSet.KEY_ORDER);
        for (int j = 1; i > 0 && j < l.size(); j++) {
          if (Keys.compare(l.get(j - 1).largest, l.get(j).smallest) >= 0) {
            throw new CorruptionException(Manifest.FILE_NAME, 0, "tables " + l.get(j - 1)
                + " and " + l.get(j) + " overlap in level " + i);
          }
        }
        arr[i] = l.toArray(new TableHandle[0]);
      }
      return new TableSet(arr);
    } catch (IOException | RuntimeException e) {
      for (List<TableHandle> l : levels) {
        for (TableHandle t : l) {
          t.closeKeepingFile();
        }
      }
      throw e;
    }
  }
}
