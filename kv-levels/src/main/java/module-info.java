/**
 * Levels controller, MANIFEST and compaction strategies of Sett. For now it holds the MANIFEST,
 * which gives a database its identity; levels and compaction arrive with the LSM-tree issue.
 */
module dev.sett.kv.levels {
  requires dev.sett.kv;

  exports dev.sett.kv.levels to
      dev.sett.kv.core;
}
