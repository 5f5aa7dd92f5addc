package dev.eligibility.jobs.impact;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.policy.EligibleSetClaims;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How many of a committed run's eligible rows would be excluded at a later instant: the run's
 * eligible set (its record ids, kinds and references, at the version it committed) decided again,
 * under the run's own policy and purpose, at {@code at}, over its reference tables as they are now
 * (Delta inputs at their latest versions, file inputs as their files are now). An organization
 * that opted out or revoked its opt-in, a training file deleted, a licence expired or a new ZDR
 * agreement since the run all show here, each under the reason that now excludes the row.
 *
 * <p>One instance reads each reference table once, however many runs it is asked about. The
 * figures are aggregated by Spark; the driver receives counts per reason and per
 * organization (the largest {@link #LARGEST} (organization, reason) pairs), never rows.
 */
public final class RevocationImpact {

  /** How many (organization, reason) pairs a run's impact names; the totals cover all. */
  public static final int LARGEST = 50;

  /** Rows of API requests or training files whose organization cannot be told. */
  public static final String UNKNOWN_ORGANIZATION = "(unknown)";

  /**
   * One run's impact.
   *
   * @param runId the run
   * @param asOf the run's own as_of
   * @param eligible the run's eligible rows
   * @param nowExcluded how many of them would be excluded at the later instant
   * @param byReason those rows by their primary reason now, in policy order
   * @param largest the largest (organization, reason) counts, most first
   */
  public record RunImpact(String runId, Instant asOf, long eligible, long nowExcluded, Map<String, Long> byReason,
      List<OrganizationReason> largest) {}

  /** Rows of one organization that one reason now excludes. */
  public record OrganizationReason(String organization, String reason, long rows) {}

  private final SparkSession spark;
  private final TableReader reader;
  /** Reference tables as they are now, read and checked once however many runs name them. */
  private final Map<List<String>, BoundTable> current = new java.util.HashMap<>();

  public RevocationImpact(SparkSession spark) {
    this.spark = spark;
    this.reader = new TableReader(spark);
  }

  /** The impact at {@code at} on the run {@code record} committed. */
  public RunImpact of(RunRecord record, Instant at) {
    PolicyParameters policy = PolicyFile.fromSource(record.policy().source());
    if (!policy.sha256().equals(record.policy().sha256())) {
      throw Errors.policyChangedSinceRun(record.run().runId(), record.policy().source());
    }
    RunContext context = new RunContext(Purpose.valueOf(record.run().purpose()),
        Optional.ofNullable(record.run().fineTuneOrgId()), at, policy);
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    Dataset<Row> keys = spark.read().format("delta").option("versionAsOf", eligible.deltaVersion()).load(eligible.path())
        .select(col("record_id"), col("source_kind"), col("source_ref"));
    BoundTable eligibleRows = new BoundTable(
        new TableInput("eligible@v" + eligible.deltaVersion(), eligible.path(), TableFormat.DELTA), Contracts.CORPUS,
        keys, Optional.of(eligible.deltaVersion()), List.of(), eligible.rowCount(), Optional.empty());
    InputTables inputs = new InputTables(List.of(eligibleRows),
        current(record, Contracts.API_REQUESTS).orElseThrow(), current(record, Contracts.CONSENT_EVENTS).orElseThrow(),
        current(record, Contracts.FINE_TUNE_FILES).orElseThrow(), current(record, Contracts.FINE_TUNED_MODELS).orElseThrow(),
        current(record, Contracts.ZDR_AGREEMENTS), current(record, Contracts.LICENSES));

    Dataset<Row> excluded = new EligibilityEngine(context).decide(inputs)
        .filter(col(Facts.REASON).isNotNull())
        .select(coalesce(EligibleSetClaims.organization(), lit(UNKNOWN_ORGANIZATION)).as("organization"),
            col(Facts.REASON).as("reason"))
        .groupBy("organization", "reason")
        .agg(count(lit(1)).as("rows"))
        .persist();
    try {
      Map<String, Long> byReason = new LinkedHashMap<>();
      excluded.groupBy("reason").agg(org.apache.spark.sql.functions.sum("rows").as("rows")).collectAsList()
          .forEach(row -> byReason.put(row.getString(0), row.getLong(1)));
      Map<String, Long> ordered = new LinkedHashMap<>();
      for (dev.eligibility.jobs.policy.Reason reason : dev.eligibility.jobs.policy.Reason.values()) {
        if (byReason.containsKey(reason.name())) {
          ordered.put(reason.name(), byReason.get(reason.name()));
        }
      }
      List<OrganizationReason> largest = new ArrayList<>();
      excluded.orderBy(col("rows").desc(), col("organization"), col("reason")).limit(LARGEST).collectAsList()
          .forEach(row -> largest.add(new OrganizationReason(row.getString(0), row.getString(1), row.getLong(2))));
      long nowExcluded = ordered.values().stream().mapToLong(Long::longValue).sum();
      return new RunImpact(record.run().runId(), record.run().asOf(), eligible.rowCount(), nowExcluded, ordered, largest);
    } finally {
      excluded.unpersist();
    }
  }

  /** The reference table the run read, as it is now (a Delta input at its latest version). */
  private Optional<BoundTable> current(RunRecord record, TableContract contract) {
    for (InputSnapshot snapshot : record.inputs()) {
      if (snapshot.table().equals(contract.table())) {
        TableFormat format = TableFormat.fromKey(snapshot.format())
            .orElseThrow(() -> new IllegalArgumentException("unknown format " + snapshot.format() + " in the run record"));
        return Optional.of(current.computeIfAbsent(List.of(contract.table(), snapshot.name(), snapshot.path(),
            format.key()), key -> reader.read(new TableInput(snapshot.name(), snapshot.path(), format), contract)));
      }
    }
    return Optional.empty();
  }
}
