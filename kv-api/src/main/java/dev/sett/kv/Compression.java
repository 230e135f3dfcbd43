package dev.sett.kv;

/**
 * How table blocks are compressed. Applies to tables written from now on; every table records the
 * compression of its own blocks, so a database may hold tables of both kinds.
 */
public enum Compression {
  /** Blocks are stored as they are. */
  NONE(0),
  /** Blocks are compressed with LZ4 (the pure-Java codec), the default. */
  LZ4(1);

  private final int id;

  Compression(int id) {
    this.id = id;
  }

  /**
   * The id recorded in table files.
   *
   * @return the id, stable across releases
   */
  public int id() {
    return id;
  }

  /**
   * The compression with a recorded id.
   *
   * @param id an id read from a file
   * @return the compression
   * @throws IllegalArgumentException if no compression has that id
   */
  public static Compression ofId(int id) {
    for (Compression c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown compression id " + id);
  }
}
