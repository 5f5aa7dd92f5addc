package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.errors.ErrorKind;
import dev.eligibility.jobs.errors.Errors;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * How both command lines end in failure: one {@code error:} line a person can act on, the exit
 * code of the failure's kind, and for unexpected failures the full trace in the log only.
 */
final class ConsoleErrors implements CommandLine.IExecutionExceptionHandler {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleErrors.class);

  private final String afterInfrastructureFailure;

  /** @param afterInfrastructureFailure a line printed after an infrastructure failure, or null */
  ConsoleErrors(String afterInfrastructureFailure) {
    this.afterInfrastructureFailure = afterInfrastructureFailure;
  }

  /** A command line for {@code command} that ends failures this way. */
  static CommandLine commandLine(Object command, String afterInfrastructureFailure) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setExecutionExceptionHandler(new ConsoleErrors(afterInfrastructureFailure));
    return commandLine;
  }

  /** Runs {@code commandLine} with the given console streams and returns its exit code. */
  static int execute(CommandLine commandLine, PrintWriter out, PrintWriter err, String... args) {
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (!(e instanceof EligibilityException)) {
      // The full trace goes to the log (stderr by default), the one-line cause to the user.
      LOG.error("The command failed", e);
    }
    EligibilityException failure = e instanceof EligibilityException known
        ? known
        : Errors.infrastructure("The run failed", e);
    err.println();
    err.println("error: " + failure.getMessage());
    if (failure.kind() == ErrorKind.INFRASTRUCTURE && afterInfrastructureFailure != null) {
      err.println(afterInfrastructureFailure);
    }
    err.flush();
    return failure.kind().exitCode();
  }
}
