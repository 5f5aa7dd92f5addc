package dev.eligibility.jobs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The reviewer's command line: {@code lineage show}, {@code verify}, {@code prove},
 * {@code check-proof} and {@code runs}. {@code show} and {@code check-proof} read no data.
 */
@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    versionProvider = EligibilityCli.Version.class,
    description = "Read and check the evidence of committed eligibility runs: name the table versions of the last"
        + " committed run under an output root, show a manifest, verify every"
        + " claim it makes against the data, prove that a record is (or is not) in a run's eligible set,"
        + " check such a proof against a Merkle root without any access to the data, list the runs"
        + " whose eligible set held data of an organization, and count the eligible rows of committed runs"
        + " that later events (an opt-out, a deleted file, an expired licence) would now exclude.",
    subcommands = {ResolveCommand.class, ShowCommand.class, VerifyCommand.class, ProveCommand.class, CheckProofCommand.class,
        RunsCommand.class, ImpactCommand.class, HistoryCommand.class, ReportCommand.class, DiffCommand.class, ReceiptCommand.class,
        KeygenCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (verify: every claim holds; check-proof: the proof holds)",
        "1:a claim (verify) or the proof (check-proof) does not hold, or a listed run's manifest is"
            + " unsigned, fails its signature or disagrees (runs), or no run has committed or its manifest"
            + " fails its signature (resolve), or a committed run has eligible rows that would now be excluded"
            + " (impact)",
        "2:usage error, or a run record or proof that cannot be read",
        "5:infrastructure failure (Spark, storage)"})
public final class LineageCli implements Runnable {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The process entry point: see {@link ProcessExit} for how each outcome ends the process in each deploy mode. */
  public static void main(String[] args) {
    ProcessExit.finish(commandLine().execute(args));
  }

  /** Runs the command line with the given console streams and returns its exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return ConsoleErrors.execute(commandLine(), out, err, args);
  }

  private static CommandLine commandLine() {
    return ConsoleErrors.commandLine(new LineageCli(), null);
  }
}
