package dev.sett.kv.cli;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams that report the bytes passing through them to a {@link ProgressBar} (backup and
 * restore show progress this way: the database's calls take a stream, not a listener).
 */
final class ProgressStreams {
  private ProgressStreams() {}

  /** Counts what is written to {@code out}; the bar's total is an estimate, so it is capped. */
  static OutputStream counting(OutputStream out, ProgressBar bar, long total) {
    return new FilterOutputStream(out) {
      private long done;

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        advance(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        advance(len);
      }

      private void advance(long n) {
        done += n;
        bar.update(Math.min(done, total - 1), System.nanoTime());
      }
    };
  }

  /** Counts what is read from {@code in}. */
  static InputStream counting(InputStream in, ProgressBar bar) {
    return new FilterInputStream(in) {
      private long done;

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          advance(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          advance(n);
        }
        return n;
      }

      private void advance(long n) {
        done += n;
        bar.update(done, System.nanoTime());
      }
    };
  }
}
