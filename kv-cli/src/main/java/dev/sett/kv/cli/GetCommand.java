package dev.sett.kv.cli;

import dev.sett.kv.Db;
import dev.sett.kv.Item;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code sett get}: prints the value of one key, or fails with exit code 1 if it is absent. */
@Command(
    name = "get",
    header = "Print the value of a key.",
    mixinStandardHelpOptions = true,
    description = "Prints the value of KEY and a newline; exits with 1 if KEY is absent.")
final class GetCommand implements Callable<Integer> {

  @ParentCommand private SettCli root;

  @Mixin private StoreOptions store;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  private String keyText;

  @Override
  public Integer call() {
    byte[] key = store.key("KEY", keyText);
    byte[] value;
    try (Db db = store.open(false, false)) {
      value = db.view(txn -> {
        Item item = txn.get(key);
        return item == null ? null : item.value();
      });
    }
    if (value == null) {
      // Absence is not an exception in the API, but for a shell script it is a failure to test.
      throw new CliFailure("key not found: " + keyText);
    }
    PrintStream out = root.out();
    store.print(out, value);
    out.print('\n');
    return 0;
  }
}
