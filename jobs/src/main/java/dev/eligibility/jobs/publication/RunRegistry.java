package dev.eligibility.jobs.publication;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.lineage.OrganizationCounts;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The run registry under {@code registry/}: an index of runs for questions across runs ("which
 * runs contained data of organization X?"). Two append-only Delta tables:
 *
 * <ul>
 *   <li>{@code registry/runs}: one row per run attempt that reached its commit (run id, purpose,
 *       as_of, manifest digest, previous manifest digest, output versions, counts);
 *   <li>{@code registry/run_organizations}: per run attempt, each organization with eligible rows
 *       and how many.
 * </ul>
 *
 * <p>Rows are appended just before the manifest is written, with the digest the manifest will
 * have. The manifest stays the commit point: a registry row whose manifest never appeared (the
 * run failed in between) belongs to no committed run, and readers check each row against the
 * manifest it names (see {@link RunRecordStore#stateOf}). Appending before, not after, means a
 * committed run can never be missing from the index.
 */
public final class RunRegistry {

  static final StructType RUNS = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("purpose", DataTypes.StringType, false)
      .add("fine_tune_org_id", DataTypes.StringType, true)
      .add("as_of", DataTypes.TimestampType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, false)
      .add("manifest_digest", DataTypes.StringType, false)
      .add("previous_manifest_digest", DataTypes.StringType, true)
      .add("signed", DataTypes.BooleanType, false)
      .add("eligible_version", DataTypes.LongType, false)
      .add("exclusions_version", DataTypes.LongType, false)
      .add("candidates", DataTypes.LongType, false)
      .add("eligible", DataTypes.LongType, false)
      .add("excluded", DataTypes.LongType, false)
      .add("registered_at", DataTypes.TimestampType, false);

  static final StructType RUN_ORGANIZATIONS = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("manifest_digest", DataTypes.StringType, false)
      .add("organization_id", DataTypes.StringType, false)
      .add("eligible_rows", DataTypes.LongType, false);

  private final SparkSession spark;
  private final OutputLayout layout;

  public RunRegistry(SparkSession spark, OutputLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /** One registered run attempt, newest first when listed. */
  public record Entry(
      String runId, String purpose, Instant asOf, String manifestDigest, String previousManifestDigest,
      long eligibleVersion, long eligible, long excluded, Instant registeredAt) {}

  /**
   * Registers a run about to commit with the manifest digest it will have, and its eligible rows
   * per organization ({@code organization_id}, {@code eligible_rows}; appended by Spark as they
   * are, never brought to the driver).
   */
  public void register(RunRecord record, String manifestDigest, boolean signed, Instant now,
      Dataset<Row> eligibleRowsByOrganization) {
    OutputSnapshot eligible = output(record, OutputLayout.ELIGIBLE);
    OutputSnapshot exclusions = output(record, OutputLayout.EXCLUSIONS);
    Row run = RowFactory.create(
        record.run().runId(), record.run().purpose(), record.run().fineTuneOrgId(),
        Timestamp.from(record.run().asOf()), Timestamp.from(record.run().startedAt()),
        Timestamp.from(record.run().endedAt()), manifestDigest, record.previousManifestDigest(), signed,
        eligible.deltaVersion(), exclusions.deltaVersion(), record.counts().candidates(),
        record.counts().eligible(), record.counts().excluded(), Timestamp.from(now));
    append(List.of(run), RUNS, layout.registryRuns());
    eligibleRowsByOrganization
        .select(lit(record.run().runId()).as("run_id"), lit(manifestDigest).as("manifest_digest"),
            col("organization_id"), col("eligible_rows"))
        .write().format("delta").mode("append").save(layout.registryRunOrganizations());
  }

  /**
   * The registered attempts, newest first, fetched a partition at a time as the caller reads on
   * (a run looking for the head of the chain usually reads one); empty when nothing was registered.
   */
  public Iterator<Entry> newestFirst() {
    return newestFirst(lit(true));
  }

  /** The attempts registered before {@code instant}, newest first, fetched as the caller reads on. */
  public Iterator<Entry> registeredBefore(Instant instant) {
    return newestFirst(col("registered_at").lt(lit(Timestamp.from(instant))));
  }

  /** The attempt registered with manifest digest {@code manifestDigest}, if any. */
  public Optional<Entry> withManifest(String manifestDigest) {
    return first(col("manifest_digest").equalTo(lit(manifestDigest)));
  }

  /** The newest attempt whose eligible output is later than version {@code version}, if any. */
  public Optional<Entry> newestWithEligibleAfter(long version) {
    return first(col("eligible_version").gt(lit(version)));
  }

  private Optional<Entry> first(Column filter) {
    Iterator<Entry> found = newestFirst(filter);
    return found.hasNext() ? Optional.of(found.next()) : Optional.empty();
  }

  /** The attempts {@code filter} keeps, newest first; the filter runs in Spark, not on the driver. */
  private Iterator<Entry> newestFirst(Column filter) {
    if (!exists(layout.registryRuns())) {
      return Collections.emptyIterator();
    }
    Iterator<Row> rows = spark.read().format("delta").load(layout.registryRuns())
        .filter(filter)
        .orderBy(col("registered_at").desc(), col("run_id").desc())
        .toLocalIterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Entry next() {
        return entry(rows.next());
      }
    };
  }

  /** The attempts whose eligible set held rows of {@code organizationId}, with how many, newest first. */
  public Map<Entry, Long> entriesWithOrganization(String organizationId) {
    if (!exists(layout.registryRuns()) || !exists(layout.registryRunOrganizations())) {
      return Map.of();
    }
    Dataset<Row> runs = spark.read().format("delta").load(layout.registryRuns());
    Dataset<Row> organizations = spark.read().format("delta").load(layout.registryRunOrganizations())
        .filter(col("organization_id").equalTo(lit(organizationId)))
        .select(col("manifest_digest"), col("eligible_rows"));
    var result = new java.util.LinkedHashMap<Entry, Long>();
    runs.join(organizations, "manifest_digest")
        .orderBy(col("registered_at").desc(), col("run_id").desc())
        .collectAsList()
        .forEach(row -> result.put(entry(row), row.getLong(row.fieldIndex("eligible_rows"))));
    return result;
  }

  /**
   * The eligible rows per organization registered for the run with manifest {@code manifestDigest}
   * ({@code organization_id}, {@code eligible_rows}); what the manifest's organization digest binds.
   */
  public Dataset<Row> organizationCounts(String manifestDigest) {
    return spark.read().format("delta").load(layout.registryRunOrganizations())
        .filter(col("manifest_digest").equalTo(lit(manifestDigest)))
        .select(col("organization_id"), col("eligible_rows"));
  }

  /**
   * {@link #organizationCounts}, checked against what the run's manifest binds (the number of
   * organizations and the digest of the counts); empty when the registry disagrees with it.
   */
  public Optional<Dataset<Row>> organizationCountsAsRecorded(RunRecord record, String manifestDigest) {
    Dataset<Row> counts = organizationCounts(manifestDigest);
    RowDigests.TableDigest registered = RowDigests.digest(counts, "organization_id", record.digestAlgorithm());
    OrganizationCounts recorded = record.eligibleRowsByOrganization();
    return registered.count() == recorded.organizations() && registered.hex().equals(recorded.digest())
        ? Optional.of(counts) : Optional.empty();
  }

  private static Entry entry(Row row) {
    return new Entry(
        row.getString(row.fieldIndex("run_id")),
        row.getString(row.fieldIndex("purpose")),
        row.getTimestamp(row.fieldIndex("as_of")).toInstant(),
        row.getString(row.fieldIndex("manifest_digest")),
        row.getString(row.fieldIndex("previous_manifest_digest")),
        row.getLong(row.fieldIndex("eligible_version")),
        row.getLong(row.fieldIndex("eligible")),
        row.getLong(row.fieldIndex("excluded")),
        row.getTimestamp(row.fieldIndex("registered_at")).toInstant());
  }

  private void append(List<Row> rows, StructType schema, String path) {
    spark.createDataFrame(rows, schema).write().format("delta").mode("append").save(path);
  }

  private boolean exists(String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  private static OutputSnapshot output(RunRecord record, String table) {
    return record.output(table).orElseThrow(() -> new IllegalArgumentException("run record names no " + table + " output"));
  }
}
