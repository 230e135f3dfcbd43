/**
 * Sett's vlog module. It holds no code yet: its providers arrive with the issue that builds them
 * (see docs/ARCHITECTURE.md), and until then it only declares its place in the module graph.
 */
module dev.sett.kv.vlog {
  requires dev.sett.kv;

  provides dev.sett.kv.spi.ValueSeparationPolicy with
      dev.sett.kv.vlog.policy.ThresholdPolicy,
      dev.sett.kv.vlog.policy.PercentilePolicy;
}
