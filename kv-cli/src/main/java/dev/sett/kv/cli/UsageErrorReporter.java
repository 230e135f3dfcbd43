package dev.sett.kv.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports bad arguments: {@code sett: <message>}, a suggestion for a mistyped command or option,
 * then the usage of the command that was being parsed, all on standard error; exit code 2.
 */
final class UsageErrorReporter implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("sett: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println();
    cmd.usage(err);
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
