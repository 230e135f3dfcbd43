package dev.sett.kv.cli;

import dev.sett.kv.Options;
import picocli.CommandLine.TypeConversionException;

/**
 * Database options given as {@code NAME=VALUE} text, read exactly as {@code bench --option} reads
 * them (any {@link Options.Builder} setter by name, sizes such as {@code 4m}, provider names).
 *
 * <p>Public (though this module exports nothing) for kv-bench's side-by-side runner, which runs on
 * the class path and passes its {@code --option} arguments on to Sett through this class, so the
 * two tools cannot drift apart in what they accept.
 */
public final class OptionArguments {
  private OptionArguments() {}

  /**
   * Applies one setting to a builder.
   *
   * @param builder the builder
   * @param nameEqualsValue for example {@code valueThreshold=4k}
   * @throws IllegalArgumentException naming the setting if the name is unknown or the value bad
   */
  public static void apply(Options.Builder builder, String nameEqualsValue) {
    OptionSetting setting;
    try {
      setting = new OptionSetting.Converter().convert(nameEqualsValue);
    } catch (TypeConversionException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    setting.apply(builder);
  }
}
