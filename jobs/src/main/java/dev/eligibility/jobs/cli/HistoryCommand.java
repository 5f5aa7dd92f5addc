package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.jobs.publication.RunHistory;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage history --root R}: the committed runs of an output root with their figures, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = {
        "List the committed runs of an output root, newest first, with the figures reviewers compare across"
            + " runs: candidates, eligible share, excluded rows per reason, rows per input, organizations with"
            + " eligible rows.",
        "%nFollows the manifests' hash chain back from the run committed last; every signed manifest must"
            + " verify with a trusted key. With --format json it prints one array of runs, as the notebooks read it."})
final class HistoryCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Mixin
  FormatOption format;

  @Option(names = "--last", paramLabel = "N", defaultValue = "90",
      description = "How many runs to read back at most (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage history"));
    List<RunFigures> runs = read(spark, output.root, last, lineageConf).stream().map(RunFigures::of).toList();
    PrintWriter out = command.commandLine().getOut();
    if (format.json()) {
      out.print(RunRecordCodec.toJsonText(runs));
    } else {
      print(runs, out);
    }
    out.flush();
    return 0;
  }

  /** Up to {@code last} committed runs under {@code root}, newest first, signatures checked. */
  static List<RunHistory.Run> read(SparkSession spark, String root, int last, Path lineageConf) {
    OutputLayout layout = new OutputLayout(root);
    RunHistory history = new RunHistory(new RunRegistry(spark, layout),
        new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration()));
    return history.newestFirst(last, LineageConfig.load(lineageConf).trustedKeys());
  }

  private void print(List<RunFigures> runs, PrintWriter out) {
    out.printf("%-32s %-20s %12s %12s %9s  %-11s %s%n", "RUN", "AS OF", "CANDIDATES", "ELIGIBLE", "SHARE", "DECISION",
        "LARGEST EXCLUSION");
    for (RunFigures run : runs) {
      out.printf(Locale.ROOT, "%-32s %-20s %,12d %,12d %8.1f%%  %-11s %s%n", run.runId(), run.asOf(), run.candidates(),
          run.eligible(), 100 * run.eligibleShare(), run.decisionMode(), largestExclusion(run));
    }
    out.println(runs.size() + " committed run" + (runs.size() == 1 ? "" : "s") + " under " + output.root
        + (runs.size() == last ? " (the last " + last + "; --last reads further back)" : "") + ".");
  }

  private static String largestExclusion(RunFigures run) {
    return run.excludedByReason().entrySet().stream()
        .filter(reason -> reason.getValue() > 0)
        .max(Map.Entry.comparingByValue())
        .map(reason -> String.format(Locale.ROOT, "%s %,d", reason.getKey(), reason.getValue()))
        .orElse("-");
  }
}
