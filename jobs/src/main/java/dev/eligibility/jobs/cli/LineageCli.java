package dev.eligibility.jobs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The reviewer's command line: {@code lineage show}, {@code lineage prove} and
 * {@code lineage check-proof}. Only {@code prove} reads data (and starts Spark).
 */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    versionProvider = EligibilityCli.Version.class,
    description = {
        "Read and check the evidence of committed eligibility runs: show a run record, prove that",
        "a record is (or is not) in a run's eligible set, and check such a proof against the",
        "Merkle root of the run record without any access to the data."},
    subcommands = {ShowCommand.class, ProveCommand.class, CheckProofCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (check-proof: the proof holds)",
        "1:check-proof: the proof does not hold",
        "2:usage error, or a run record or proof that cannot be read",
        "5:infrastructure failure (Spark, storage)"})
public final class LineageCli implements Runnable {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Runs the command line with the given console streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return ConsoleErrors.execute(commandLine(), out, err, args);
  }

  private static CommandLine commandLine() {
    return ConsoleErrors.commandLine(new LineageCli(), null);
  }
}
