package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.review.RunDiff;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage diff}: which rows entered and left the eligible set between two runs. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {
        "Show what changed between two committed runs: rows that entered and left the eligible set, as counts by"
            + " (old outcome -> new outcome) and by organization, from the decisions each run kept at the version"
            + " its manifest pins.",
        "%nGive the older run's manifest first. With --ids, also list each changed row's record id (never its"
            + " content). Both manifests must verify with a trusted key or be unsigned (reported)."})
final class DiffCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  FormatOption format;

  @Option(names = "--manifest", required = true, arity = "1", paramLabel = "FILE",
      description = "A run's manifest; give it twice, the older run first.")
  List<Path> manifests;

  @Option(names = "--ids", description = "Also list the changed rows: corpus input, record id, source kind, old and new outcome, organization.")
  boolean ids;

  @Option(names = "--organizations", paramLabel = "N", defaultValue = "25",
      description = "Organizations to list, those with most rows entering or leaving first (default: ${DEFAULT-VALUE}).")
  int organizations;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  /** What {@code --format json} prints: the summary, and the changed rows with {@code --ids}. */
  record Document(RunDiff.Summary summary, List<RunDiff.ChangedRow> changedRows) {}

  @Override
  public Integer call() {
    if (manifests.size() != 2) {
      throw Errors.badOption("--manifest", manifests.size() + " times", "exactly two manifests, the older run first");
    }
    PrintWriter err = command.commandLine().getErr();
    RunRecord older = ManifestFile.read(manifests.get(0), lineageConf, err);
    RunRecord newer = ManifestFile.read(manifests.get(1), lineageConf, err);
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage diff"));
    RunDiff diff = RunDiff.between(spark, older, newer);
    PrintWriter out = command.commandLine().getOut();
    render(diff, organizations, ids, format.json(), String.format("From run %s (as_of %s) to run %s (as_of %s):",
        older.run().runId(), older.run().asOf(), newer.run().runId(), newer.run().asOf()), out);
    out.flush();
    return 0;
  }

  /**
   * Prints {@code diff}: its summary under {@code headline} and, with {@code ids}, every changed
   * row; or with {@code json} one document of both. Shared with {@code policy-diff}.
   */
  static RunDiff.Summary render(RunDiff diff, int organizations, boolean ids, boolean json, String headline,
      PrintWriter out) {
    RunDiff.Summary summary = diff.summary(organizations);
    if (json) {
      List<RunDiff.ChangedRow> rows = new ArrayList<>();
      if (ids) {
        diff.changedRows().forEachRemaining(rows::add);
      }
      out.print(RunRecordCodec.toJsonText(new Document(summary, ids ? rows : null)));
    } else {
      print(headline, summary, out);
      if (ids) {
        printIds(diff.changedRows(), out);
      }
    }
    return summary;
  }

  private static void print(String headline, RunDiff.Summary summary, PrintWriter out) {
    out.println(headline);
    out.printf(Locale.ROOT, "  %,d rows entered the eligible set, %,d left it; %,d rows changed outcome in all.%n",
        summary.entered(), summary.left(), summary.changed());
    if (summary.transitions().isEmpty()) {
      return;
    }
    out.println();
    out.printf("  %-28s    %-28s %10s%n", "OLD OUTCOME", "NEW OUTCOME", "ROWS");
    for (RunDiff.Transition transition : summary.transitions()) {
      out.printf(Locale.ROOT, "  %-28s -> %-28s %,10d%n", transition.from(), transition.to(), transition.rows());
    }
    if (!summary.largestOrganizations().isEmpty()) {
      out.println();
      out.printf("  %-32s %10s %10s%n", "ORGANIZATION", "ENTERED", "LEFT");
      for (RunDiff.OrganizationChange change : summary.largestOrganizations()) {
        out.printf(Locale.ROOT, "  %-32s %,10d %,10d%n", change.organizationId(), change.entered(), change.left());
      }
      if (summary.organizations() > summary.largestOrganizations().size()) {
        out.printf(Locale.ROOT, "  (%,d organizations in all; --organizations lists more)%n", summary.organizations());
      }
    }
  }

  private static void printIds(Iterator<RunDiff.ChangedRow> rows, PrintWriter out) {
    out.println();
    out.printf("  %-16s %-24s %-20s %-24s    %-24s %s%n", "INPUT", "RECORD_ID", "SOURCE_KIND", "OLD OUTCOME",
        "NEW OUTCOME", "ORGANIZATION");
    while (rows.hasNext()) {
      RunDiff.ChangedRow row = rows.next();
      out.printf("  %-16s %-24s %-20s %-24s -> %-24s %s%n", row.corpusInput(), row.recordId(), row.sourceKind(),
          row.from(), row.to(), row.organizationId() == null ? "-" : row.organizationId());
    }
  }
}
