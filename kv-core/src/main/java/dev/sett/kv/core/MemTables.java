package dev.sett.kv.core;

import java.util.Arrays;

/**
 * An immutable snapshot of the memtables: the mutable one and the immutable ones waiting for a
 * flush, newest first. Published through a volatile field of {@link SettDb}; readers take the
 * snapshot once and never lock.
 */
final class MemTables {
  final MemTableHandle mutable;
  /** Immutable memtables, newest first. */
  final MemTableHandle[] immutables;
  /** The mutable memtable followed by the immutable ones: newest first. */
  final MemTableHandle[] all;

  MemTables(MemTableHandle mutable, MemTableHandle[] immutables) {
    this.mutable = mutable;
    this.immutables = immutables;
    this.all = new MemTableHandle[immutables.length + 1];
    all[0] = mutable;
    System.arraycopy(immutables, 0, all, 1, immutables.length);
  }

  /** The snapshot after the mutable memtable was replaced by {@code fresh}. */
  MemTables rotate(MemTableHandle fresh) {
    MemTableHandle[] imm = new MemTableHandle[immutables.length + 1];
    imm[0] = mutable;
    System.arraycopy(immutables, 0, imm, 1, immutables.length);
    return new MemTables(fresh, imm);
  }

  @Override
  public String toString() {
    return "MemTables[mutable=" + mutable + ", immutables=" + Arrays.toString(immutables) + "]";
  }
}
