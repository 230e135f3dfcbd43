package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.IteratorOptions;
import dev.sett.kv.Item;
import dev.sett.kv.KvIterator;
import dev.sett.kv.Txn;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code sett scan}: prints the live keys of one snapshot in order, with their values. */
@Command(
    name = "scan",
    header = "Print keys and values in key order.",
    mixinStandardHelpOptions = true,
    description = "Prints every live key in key order as KEY<TAB>VALUE lines (KEY lines with"
        + " --keys-only), from one consistent snapshot. Use --hex when keys or values may hold"
        + " tabs or newlines.")
final class ScanCommand implements Callable<Integer> {

  /** How often a long scan checks whether its reader went away (e.g. {@code | head}). */
  private static final int CHECK_OUTPUT_EVERY = 4096;

  @ParentCommand private SettCli root;

  @Mixin private StoreOptions store;

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
  private String prefixText = "";

  @Option(names = "--reverse", description = "Descending key order.")
  private boolean reverse;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = CountConverter.class,
      description = "Print at most N keys (default: all).")
  private long limit = Long.MAX_VALUE;

  @Option(names = "--keys-only", description = "Print keys only; values are never read.")
  private boolean keysOnly;

  @Override
  public Integer call() {
    byte[] prefix = store.bytes("--prefix", prefixText);
    IteratorOptions options = IteratorOptions.builder()
        .prefix(prefix)
        .reverse(reverse)
        .keysOnly(keysOnly)
        .prefetchValues(!keysOnly)
        .build();
    PrintStream out = root.out();
    try (Db db = store.open(false, false);
        Txn txn = db.newTransaction(false);
        KvIterator it = txn.newIterator(options)) {
      long printed = 0;
      for (it.rewind(); it.valid() && printed < limit; it.next()) {
        Item item = it.item();
        store.print(out, item.key());
        if (!keysOnly) {
          out.print('\t');
          store.print(out, item.value());
        }
        out.print('\n');
        printed++;
        // PrintStream swallows a broken pipe; without this check a scan piped into head would
        // walk the whole database for nobody.
        if (printed % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
          break;
        }
      }
    }
    return 0;
  }
}
