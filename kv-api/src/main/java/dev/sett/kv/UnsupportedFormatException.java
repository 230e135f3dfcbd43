package dev.sett.kv;

/**
 * A file was written in a format or version this build cannot read, or names a provider that is
 * not installed. Nothing was changed.
 */
public class UnsupportedFormatException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param file the file whose format is not supported
   * @param message which format or version was found and which are supported
   */
  public UnsupportedFormatException(String file, String message) {
    super(file, message, null);
  }
}
