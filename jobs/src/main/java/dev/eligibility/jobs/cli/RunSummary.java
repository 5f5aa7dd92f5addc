package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.run.RunResult;
import dev.eligibility.jobs.trial.DryRun;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.DriftCheck;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.UpstreamWarning;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The table printed when a run has committed. Counts and identifiers only, never content. */
final class RunSummary {

  private RunSummary() {}

  static void print(RunResult result, PrintWriter out) {
    print(result.record(), result.manifest(), result.elapsed(), result.largestOrganizations(), out);
  }

  /** Prints what a dry run decided: a run's summary with nothing written. */
  static void print(DryRun.Result result, PrintWriter out) {
    print(result.unwritten(), null, result.elapsed(), result.largestOrganizations(), out);
  }

  /** Prints a run record read back; the per-organization counts are in the registry, not the record. */
  static void print(RunRecord record, String manifest, PrintWriter out) {
    print(record, manifest, null, null, out);
  }

  /**
   * Prints a run record; {@code elapsed} is the run's wall time and {@code largestOrganizations}
   * the organizations with the most eligible rows, when known (null otherwise). Without a
   * {@code manifest}, the record is a dry run's, never written.
   */
  private static void print(RunRecord record, String manifest, java.time.Duration elapsed,
      Map<String, Long> largestOrganizations, PrintWriter out) {
    DecisionCounts counts = record.counts();
    out.println();
    out.printf("%s %s %s: %s%s, as_of %s, policy %s%n", manifest == null ? "Dry run of" : "Run", record.run().runId(),
        manifest == null ? "decided (nothing written)" : "committed", record.run().purpose(),
        record.run().fineTuneOrgId() == null ? "" : " for " + record.run().fineTuneOrgId(),
        record.run().asOf(), record.policy().policyId());
    DecisionMode mode = record.decisionMode();
    out.printf("  Decision: %s, %,d rows decided; %s%n", mode.mode(), mode.redecidedRows(), mode.incremental()
        ? "the others as run " + mode.baseRunId() + " decided them (equal to a full run; --full forces one)"
        : mode.reason());
    out.println();
    out.printf("  %-40s %-8s %10s %8s%n", "Input", "format", "rows", "version");
    for (InputSnapshot input : record.inputs()) {
      String name = dev.eligibility.jobs.input.TableReader.label(input.table(), input.name());
      out.printf("  %-40s %-8s %,10d %8s%n", name, input.format(), input.rowCount(),
          input.deltaVersion() == null ? "-" : "v" + input.deltaVersion());
    }
    out.println();
    out.printf("  %-40s %10s%n", "Outcome", "rows");
    out.printf("  %-40s %,10d%n", "ELIGIBLE", counts.eligible());
    for (Map.Entry<String, Long> reason : counts.byReason().entrySet()) {
      out.printf("  %-40s %,10d%n", "excluded: " + reason.getKey(), reason.getValue());
    }
    out.printf("  %-40s %,10d%n", "total candidates", counts.candidates());
    out.println();
    out.printf("  %-40s %10s%n", "Upstream warning", "count");
    for (UpstreamWarning warning : record.upstreamWarnings()) {
      String orgs = warning.organizations().isEmpty() ? "" : "  orgs: " + String.join(", ", warning.organizations());
      out.printf("  %-40s %,10d%s%n", warning.code(), warning.rowCount(), orgs);
    }
    out.println();
    NegativeClaims claims = record.negativeClaims();
    DriftCheck drift = record.driftCheck();
    out.printf("  Drift against the root's earlier runs: %s%s%n", drift.outcome(), drift.historyRunIds().isEmpty()
        ? " (no earlier run to compare with)"
        : " (" + drift.figuresChecked() + " figures against " + drift.historyRunIds().size() + " runs)");
    for (DriftCheck.Finding finding : drift.findings()) {
      out.printf("    - %s; the limit is %s%n", finding.message(), finding.limit());
    }
    out.printf("  Negative claims on eligible/: %s%n", claims.allHold() ? "all hold" : "BROKEN " + claims);
    long organizations = record.eligibleRowsByOrganization().organizations();
    if (organizations > 0 && largestOrganizations != null) {
      out.println();
      out.printf("  %-40s %10s%n", "Eligible rows by organization", "rows");
      largestOrganizations.forEach((organization, rows) -> out.printf("  %-40s %,10d%n", organization, rows));
      if (organizations > largestOrganizations.size()) {
        out.printf("  (the largest %d of %d organizations; all in registry/run_organizations)%n",
            largestOrganizations.size(), organizations);
      }
    } else if (organizations > 0) {
      out.printf("  Eligible rows by organization: %d organizations (registry/run_organizations)%n", organizations);
    }
    out.println();
    for (OutputSnapshot output : record.outputs()) {
      out.printf("  %-12s v%-6d %,10d rows  %s%n", output.table() + "/", output.deltaVersion(), output.rowCount(),
          output.path());
      out.printf("  %-12s digest %s%s%n", "", output.datasetDigest(),
          output.merkleRoot() == null ? "" : ", merkle root " + output.merkleRoot());
    }
    out.printf("  %-12s %s%n", "run record", manifest == null ? "none: a dry run writes nothing and claims no root" : manifest);
    java.time.Duration wall = elapsed != null ? elapsed
        : java.time.Duration.between(record.run().startedAt(), record.run().endedAt());
    out.printf(Locale.ROOT, "  %-12s %.1f s%n", "elapsed", wall.toMillis() / 1000.0);
    out.flush();
  }
}
