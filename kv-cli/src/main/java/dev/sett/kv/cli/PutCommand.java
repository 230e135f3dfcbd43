package dev.sett.kv.cli;

import dev.sett.kv.Db;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sett put}: sets one key in its own committed transaction. */
@Command(
    name = "put",
    header = "Set a key to a value.",
    mixinStandardHelpOptions = true,
    description = "Sets KEY to VALUE in one committed transaction. Prints nothing on success.")
final class PutCommand implements Callable<Integer> {

  @Mixin private StoreOptions store;

  @Option(names = "--sync", description = "Wait until the write is fsynced (syncWrites).")
  private boolean sync;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  private String keyText;

  @Parameters(index = "1", paramLabel = "VALUE", description = "The value (may be empty).")
  private String valueText;

  @Override
  public Integer call() {
    byte[] key = store.key("KEY", keyText);
    byte[] value = store.bytes("VALUE", valueText);
    try (Db db = store.open(sync, true)) {
      db.update(txn -> txn.set(key, value));
    }
    return 0;
  }
}
