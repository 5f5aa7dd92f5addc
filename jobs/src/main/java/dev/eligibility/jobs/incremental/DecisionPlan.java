package dev.eligibility.jobs.incremental;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.publication.AuditWindow;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a run decides every row or only what changed since its base run, and why.
 *
 * <p>A run is incremental when all of these hold, and full otherwise (the first that fails is the
 * reason it gives): {@code --full} was not given; a run has committed under the output root (the
 * head of its hash chain: the base run); its manifest reads; it ran the same build, the same policy
 * (by digest), the same purpose and organization, at an {@code as_of} before this run's, within the
 * audit window (its decided rows are not vacuumed yet); it read the same inputs (table, name, path),
 * every one a Delta table, and this run reads each at the same or a later version; and every
 * input's change data feed covers the versions in between. The base's decided rows are read from
 * this root's {@code decisions/} at the version its manifest names: a root copied or moved whole
 * (Delta tables are relocatable) keeps its history.
 */
public final class DecisionPlan {

  private final String fullReason;
  private final RunRecord base;
  private final String baseManifestDigest;
  private final ChangeFeeds feeds;

  private DecisionPlan(String fullReason, RunRecord base, String baseManifestDigest, ChangeFeeds feeds) {
    this.fullReason = fullReason;
    this.base = base;
    this.baseManifestDigest = baseManifestDigest;
    this.feeds = feeds;
  }

  /** A full run, for {@code reason}. */
  public static DecisionPlan full(String reason) {
    return new DecisionPlan(Objects.requireNonNull(reason, "reason"), null, null, null);
  }

  /**
   * The plan for a run of build {@code codeVersion} under {@code layout} judging {@code inputs}
   * under {@code context} at {@code now} (see the class).
   */
  public static DecisionPlan find(SparkSession spark, String codeVersion, RunContext context, InputTables inputs,
      OutputLayout layout, RunRecordStore records, Instant now) {
    Optional<RunRegistry.Entry> head;
    try {
      head = records.head(new RunRegistry(spark, layout).newestFirst());
    } catch (IOException e) {
      return full("the run registry cannot be read (" + e.getMessage() + ")");
    }
    if (head.isEmpty()) {
      return full("no run has committed under the output root yet");
    }
    RunRegistry.Entry entry = head.get();
    RunRecord base;
    try {
      byte[] bytes = records.manifestBytes(entry.runId(), entry.manifestDigest()).orElseThrow(
          () -> new IOException("manifest with digest " + entry.manifestDigest() + " not found"));
      base = RunManifest.openUnverified(bytes).record();
    } catch (IOException | RunManifest.ManifestException | RuntimeException e) {
      return full("the manifest of the last run, " + entry.runId() + ", cannot be read (" + e.getMessage() + ")");
    }
    String baseName = "the last run, " + base.run().runId() + ",";
    Optional<String> mismatch = mismatch(base, baseName, codeVersion, context, inputs, AuditWindow.of(spark.conf()),
        now);
    if (mismatch.isPresent()) {
      return full(mismatch.get());
    }
    Map<String, Long> baseVersions = new HashMap<>();
    for (BoundTable table : inputs.all()) {
      baseVersions.put(ChangeFeeds.label(table), snapshotOf(base, table).orElseThrow().deltaVersion());
    }
    ChangeFeeds feeds = new ChangeFeeds(spark, baseVersions);
    for (BoundTable table : inputs.all()) {
      Optional<String> unreadable = feeds.unreadable(table);
      if (unreadable.isPresent()) {
        return full(unreadable.get());
      }
    }
    return new DecisionPlan(null, base, entry.manifestDigest(), feeds);
  }

  private static Optional<String> mismatch(RunRecord base, String baseName, String codeVersion, RunContext context,
      InputTables inputs, AuditWindow window, Instant now) {
    if (!base.codeVersion().equals(codeVersion)) {
      return Optional.of(baseName + " ran build " + base.codeVersion() + ", this is " + codeVersion);
    }
    if (!base.policy().sha256().equals(context.policy().sha256())) {
      return Optional.of(baseName + " judged by another policy (sha256 " + base.policy().sha256() + ")");
    }
    if (!base.run().purpose().equals(context.purpose().name())
        || !Objects.equals(base.run().fineTuneOrgId(), context.fineTuneOrgId().orElse(null))) {
      return Optional.of(baseName + " had another purpose or fine-tune organization");
    }
    if (!base.run().asOf().isBefore(context.asOf())) {
      return Optional.of(baseName + " judged at as_of " + base.run().asOf() + ", not before this run's "
          + context.asOf());
    }
    if (base.run().endedAt().isBefore(now.minus(window.duration()))) {
      return Optional.of(baseName + " ended " + base.run().endedAt() + ", before the audit window of "
          + window.days() + " days: its decided rows may be vacuumed");
    }
    if (base.inputs().size() != inputs.all().size()) {
      return Optional.of(baseName + " read " + base.inputs().size() + " inputs, this run reads " + inputs.all().size());
    }
    for (BoundTable table : inputs.all()) {
      String name = table.contract().table() + " '" + table.input().name() + "'";
      Optional<InputSnapshot> before = snapshotOf(base, table);
      if (before.isEmpty() || !before.get().path().equals(table.input().path())) {
        return Optional.of(baseName + " did not read " + name + " at " + table.input().path());
      }
      if (table.deltaVersion().isEmpty() || before.get().deltaVersion() == null) {
        return Optional.of(name + " is not a Delta table: only Delta tables have a change data feed");
      }
      if (table.deltaVersion().get() < before.get().deltaVersion()) {
        return Optional.of(name + " is read at version " + table.deltaVersion().get() + ", before version "
            + before.get().deltaVersion() + " that " + baseName + " read");
      }
    }
    return Optional.empty();
  }

  private static Optional<InputSnapshot> snapshotOf(RunRecord record, BoundTable table) {
    return record.inputs().stream()
        .filter(i -> i.table().equals(table.contract().table()) && i.name().equals(table.input().name()))
        .findFirst();
  }

  public boolean incremental() {
    return fullReason == null;
  }

  /** One line for the console: the mode and its reason or base. */
  public String describe() {
    return incremental()
        ? "incremental since run " + base.run().runId() + " (as_of " + base.run().asOf() + ")"
        : "full: " + fullReason;
  }

  /** Decides the rows of {@code inputs} under {@code context} as this plan says, the kept ones from {@code statePath}. */
  public DecidedRows decide(SparkSession spark, InputTables inputs, RunContext context, String statePath) {
    return incremental()
        ? DecidedRows.incremental(spark, inputs, context,
            new ChangedRows(feeds, inputs, base.run().asOf(), context.asOf(),
                context.policy().abuseMonitoringRetention()),
            statePath, base.decisionMode().stateVersion(), this)
        : DecidedRows.full(inputs, context, this);
  }

  /** What the manifest records: the mode, the reason or base, the rows decided and the state kept. */
  DecisionMode mode(long redecidedRows, String statePath, long stateVersion) {
    return incremental()
        ? new DecisionMode(DecisionMode.INCREMENTAL, null, base.run().runId(), baseManifestDigest, redecidedRows,
            statePath, stateVersion)
        : new DecisionMode(DecisionMode.FULL, fullReason, null, null, redecidedRows, statePath, stateVersion);
  }
}
