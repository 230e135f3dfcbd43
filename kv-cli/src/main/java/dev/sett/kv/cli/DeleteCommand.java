package dev.sett.kv.cli;

import dev.sett.kv.Db;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sett delete}: deletes one key; deleting an absent key succeeds, as in the API. */
@Command(
    name = "delete",
    header = "Delete a key.",
    mixinStandardHelpOptions = true,
    description = "Deletes KEY in one committed transaction. Succeeds if KEY is already absent.")
final class DeleteCommand implements Callable<Integer> {

  @Mixin private StoreOptions store;

  @Option(names = "--sync", description = "Wait until the delete is fsynced (syncWrites).")
  private boolean sync;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  private String keyText;

  @Override
  public Integer call() {
    byte[] key = store.key("KEY", keyText);
    try (Db db = store.open(sync, false)) {
      db.update(txn -> txn.delete(key));
    }
    return 0;
  }
}
