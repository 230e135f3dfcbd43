/**
 * Sett's levels module. It holds no code yet: its providers arrive with the issue that builds them
 * (see DESIGN.md), and until then it only declares its place in the module graph.
 */
module dev.sett.kv.levels {
  requires dev.sett.kv;
}
