package dev.eligibility.jobs.publication;

import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * Purges the payload the audit window no longer covers from an output root, keeping every run's
 * evidence: first each run with a manifest gets its evidence recorded ({@link RunEvidence}) while
 * its eligible rows can still be read; then Delta {@code VACUUM} removes from {@code eligible/}
 * and {@code exclusions/} every data file no current version needs that was replaced longer than
 * the window ago. The current (last committed) run's rows are never purged: they are the table.
 */
public final class PayloadPurge {

  private final SparkSession spark;
  private final OutputLayout layout;
  private final RunRecordStore records;

  public PayloadPurge(SparkSession spark, OutputLayout layout, RunRecordStore records) {
    this.spark = spark;
    this.layout = layout;
    this.records = records;
  }

  /** Records the evidence of every run that has a manifest and none yet; one line per run. */
  public List<String> recordEvidence(Consumer<String> progress) throws IOException {
    List<String> evidence = new ArrayList<>();
    RunEvidence runEvidence = new RunEvidence(spark, layout);
    Iterator<RunRegistry.Entry> entries = new RunRegistry(spark, layout).newestFirst();
    while (entries.hasNext()) {
      RunRegistry.Entry entry = entries.next();
      Optional<byte[]> manifest = records.manifestBytes(entry.runId(), entry.manifestDigest());
      if (manifest.isEmpty()) {
        continue; // an attempt that never committed: nothing vouches for its rows
      }
      RunRecord record;
      try {
        record = RunManifest.openUnverified(manifest.get()).record();
      } catch (RunManifest.ManifestException e) {
        evidence.add(entry.runId() + ": manifest unreadable (" + e.getMessage() + "); no evidence recorded");
        continue;
      }
      RunEvidence.Outcome outcome = runEvidence.record(record, entry.manifestDigest());
      String line = entry.runId() + " (manifest " + entry.manifestDigest().substring(0, 16) + "): " + describe(outcome);
      progress.accept(line);
      evidence.add(line);
    }
    return evidence;
  }

  /** Vacuums both output tables with {@code window}; one line per table. */
  public List<String> vacuum(AuditWindow window) {
    List<String> purged = new ArrayList<>();
    for (String table : List.of(layout.eligible(), layout.exclusions())) {
      if (DeltaTable.isDeltaTable(spark, table)) {
        vacuum(table, window);
        purged.add(table + ": files replaced more than " + window.days() + " days ago removed");
      }
    }
    return purged;
  }

  private void vacuum(String table, AuditWindow window) {
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    boolean below = window.duration().compareTo(java.time.Duration.ofDays(7)) < 0;
    String before = spark.conf().get(check, "true");
    if (below) {
      // Delta refuses windows under its 7-day default unless told; the window is the operator's choice.
      spark.conf().set(check, "false");
    }
    try {
      DeltaTable.forPath(spark, table).vacuum(window.days() * 24.0);
    } finally {
      spark.conf().set(check, before);
    }
  }

  private static String describe(RunEvidence.Outcome outcome) {
    return switch (outcome) {
      case RECORDED -> "evidence recorded";
      case ALREADY_RECORDED -> "evidence already recorded";
      case PAYLOAD_GONE -> "payload already gone and no evidence was recorded before it went";
      case DOES_NOT_MATCH -> "eligible rows no longer match the manifest; no evidence recorded";
    };
  }
}
