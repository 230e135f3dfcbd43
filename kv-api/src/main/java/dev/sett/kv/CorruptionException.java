package dev.sett.kv;

/**
 * Stored bytes failed a check (checksum, magic, length, ordering). The data is never returned;
 * retrying does not help. Carries the file and the byte offset where the bad unit starts.
 */
public class CorruptionException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final String detail;

  /**
   * Creates a corruption report.
   *
   * @param file the corrupted file
   * @param offset the offset of the unit (record, block, header) that failed its check
   * @param detail what check failed, with expected and actual values where they help
   */
  public CorruptionException(String file, long offset, String detail) {
    super(file, "corruption at offset " + offset + ": " + detail, null);
    this.offset = offset;
    this.detail = detail;
  }

  /**
   * What check failed, without the file and offset.
   *
   * @return the detail given at construction
   */
  public String detail() {
    return detail;
  }

  /**
   * The offset of the unit that failed its check.
   *
   * @return a byte offset within {@link #file()}
   */
  public long offset() {
    return offset;
  }
}
