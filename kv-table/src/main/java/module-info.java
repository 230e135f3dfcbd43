/**
 * Sett's table module. It holds no code yet: its providers arrive with the issue that builds them
 * (see DESIGN.md), and until then it only declares its place in the module graph.
 */
module dev.sett.kv.table {
  requires dev.sett.kv;
}
