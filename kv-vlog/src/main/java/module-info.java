/**
 * Sett's vlog module: the {@code vlog-v1} value log format (docs/formats/vlog.md) and the value
 * separation policies, found through {@link java.util.ServiceLoader}; it exports nothing.
 */
module dev.sett.kv.vlog {
  requires dev.sett.kv;

  provides dev.sett.kv.spi.ValueLogFormat with dev.sett.kv.vlog.VlogV1Format;

  provides dev.sett.kv.spi.ValueSeparationPolicy with
      dev.sett.kv.vlog.policy.ThresholdPolicy,
      dev.sett.kv.vlog.policy.PercentilePolicy;
}
