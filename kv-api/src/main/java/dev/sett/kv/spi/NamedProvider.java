package dev.sett.kv.spi;

/** A provider known by a stable name, which may be recorded in files. */
public interface NamedProvider {

  /**
   * The provider's name: lowercase ASCII letters, digits and '-', 1 to 32 characters, starting
   * with a letter. Never changes across releases.
   *
   * @return the name
   */
  String name();
}
