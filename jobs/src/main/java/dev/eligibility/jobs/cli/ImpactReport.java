package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.impact.RevocationImpact;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.PayloadGone;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * The revocation impact on the committed runs of one output root, printed: what {@code lineage
 * impact} prints, and (without the runs that have nothing to report) what a scheduled run prints
 * after its own summary.
 */
final class ImpactReport {

  private final SparkSession spark;
  private final OutputLayout layout;
  private final List<PublicKey> trusted;

  ImpactReport(SparkSession spark, OutputLayout layout, List<PublicKey> trusted) {
    this.spark = spark;
    this.layout = layout;
    this.trusted = List.copyOf(trusted);
  }

  /**
   * Decides every committed, retained run's eligible rows again at {@code at} and prints the
   * figures; {@code everyRun} prints the runs with nothing excluded, not retained or not before
   * {@code at} too. Returns the number of runs with rows that would be excluded now.
   */
  int print(Instant at, boolean everyRun, PrintWriter out) {
    RunRecordStore store = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    RevocationImpact impact = new RevocationImpact(spark);
    out.printf("Runs under %s decided again at %s:%n", layout.root(), at);
    out.printf("%-40s %-22s %10s %13s%n", "RUN", "AS OF", "ELIGIBLE", "NOW EXCLUDED");
    int checked = 0;
    int affected = 0;
    Iterator<RunRegistry.Entry> entries = new RunRegistry(spark, layout).newestFirst();
    while (entries.hasNext()) {
      RunRegistry.Entry entry = entries.next();
      if (store.stateOf(entry) != RunRecordStore.State.COMMITTED) {
        continue;
      }
      if (!entry.asOf().isBefore(at)) {
        if (everyRun) {
          out.printf("%-40s %-22s %10d %13s%n", entry.runId(), entry.asOf(), entry.eligible(), "(as_of not before)");
        }
        continue;
      }
      Optional<RevocationImpact.RunImpact> result = impactOf(impact, record(store, entry), at);
      if (result.isEmpty()) {
        if (everyRun) {
          out.printf("%-40s %-22s %10d %13s%n", entry.runId(), entry.asOf(), entry.eligible(), "(not retained)");
        }
        continue;
      }
      RevocationImpact.RunImpact run = result.get();
      checked++;
      affected += run.nowExcluded() > 0 ? 1 : 0;
      if (everyRun || run.nowExcluded() > 0) {
        printRun(run, out);
      }
    }
    out.println(checked + " retained run" + (checked == 1 ? "" : "s") + " checked; " + affected
        + (affected == 1 ? " has" : " have") + " eligible rows that would be excluded at " + at + ".");
    out.flush();
    return affected;
  }

  private static void printRun(RevocationImpact.RunImpact run, PrintWriter out) {
    out.printf("%-40s %-22s %10d %13d%n", run.runId(), run.asOf(), run.eligible(), run.nowExcluded());
    for (Map.Entry<String, Long> reason : run.byReason().entrySet()) {
      out.printf("    %-36s %,10d%n", reason.getKey(), reason.getValue());
    }
    for (RevocationImpact.OrganizationReason pair : run.largest()) {
      out.printf("    %-20s %-24s %,10d%n", pair.organization(), pair.reason(), pair.rows());
    }
  }

  /** The run's impact, or empty when its eligible version can no longer be read (its files were vacuumed). */
  private static Optional<RevocationImpact.RunImpact> impactOf(RevocationImpact impact, RunRecord record, Instant at) {
    try {
      return Optional.of(impact.of(record, at));
    } catch (Exception e) {
      if (PayloadGone.isCause(e)) {
        return Optional.empty();
      }
      throw PayloadGone.rethrow(e);
    }
  }

  private RunRecord record(RunRecordStore store, RunRegistry.Entry entry) {
    try {
      Optional<byte[]> bytes = store.manifestBytes(entry.runId(), entry.manifestDigest());
      return RunManifest.open(bytes.orElseThrow(), trusted).record();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RunManifest.ManifestException e) {
      throw new IllegalStateException("run " + entry.runId() + ": the manifest does not verify: " + e.getMessage(), e);
    }
  }
}
