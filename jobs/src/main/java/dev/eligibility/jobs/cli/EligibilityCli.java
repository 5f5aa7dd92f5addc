package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.run.BuildInfo;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * Entry point, locally and under {@code spark-submit}:
 * {@code eligibility run --spec FILE} and {@code eligibility explain --spec FILE --record ID}.
 */
@Command(
    name = "eligibility",
    mixinStandardHelpOptions = true,
    versionProvider = EligibilityCli.Version.class,
    description = {
        "Training-data eligibility filter: joins candidate training corpora with API request provenance, "
            + "consent records and fine-tune ownership, keeps only the rows the data-usage policy allows, and "
            + "records why every other row stayed out."},
    subcommands = {RunCommand.class, ExplainCommand.class, PolicyDiffCommand.class, RecoverCommand.class, VacuumCommand.class, UnlockCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "2:usage, run spec or policy file error (nothing was read)",
        "3:input error: a table breaks the data contract (nothing was written)",
        "4:the run id is already committed (use --replace to re-run it)",
        "5:infrastructure failure (Spark, storage, network); safe to retry",
        "6:another run holds the output root (this run wrote nothing); retry later",
        "7:the run's figures moved past a drift limit against the root's earlier runs (nothing was written);"
            + " check upstream, then --accept-drift"})
public final class EligibilityCli implements Runnable {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The process entry point: see {@link ProcessExit} for how each outcome ends the process in each deploy mode. */
  public static void main(String[] args) {
    ProcessExit.finish(execute(args));
  }

  /** Runs the command line and returns its exit code; never calls {@code System.exit}. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line with the given console streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return ConsoleErrors.execute(commandLine(), out, err, args);
  }

  private static CommandLine commandLine() {
    return ConsoleErrors.commandLine(new EligibilityCli(),
        "Nothing was committed: no run record was written. Re-run the same spec once the cause is fixed.");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"eligibility " + BuildInfo.codeVersion()};
    }
  }
}
