package dev.eligibility.jobs.publication;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  /** Registers a run about to commit with the manifest digest it will have. */
  public void register(RunRecord record, String manifestDigest, boolean signed, Instant now) {
    OutputSnapshot eligible = output(record, OutputLayout.ELIGIBLE);
    OutputSnapshot exclusions = output(record, OutputLayout.EXCLUSIONS);
    Row run = RowFactory.create(
        record.run().runId(), record.run().purpose(), record.run().fineTuneOrgId(),
        Timestamp.from(record.run().asOf()), Timestamp.from(record.run().startedAt()),
        Timestamp.from(record.run().endedAt()), manifestDigest, record.previousManifestDigest(), signed,
        eligible.deltaVersion(), exclusions.deltaVersion(), record.counts().candidates(),
        record.counts().eligible(), record.counts().excluded(), Timestamp.from(now));
    List<Row> organizations = record.eligibleRowsByOrganization().entrySet().stream()
        .map(e -> RowFactory.create(record.run().runId(), manifestDigest, e.getKey(), e.getValue()))
        .toList();
    append(List.of(run), RUNS, layout.registryRuns());
    append(organizations, RUN_ORGANIZATIONS, layout.registryRunOrganizations());
  }

  /**
   * The registered attempts, newest first, fetched a partition at a time as the caller reads on
   * (a run looking for the head of the chain usually reads one); empty when nothing was registered.
   */
  public java.util.Iterator<Entry> newestFirst() {
    if (!exists(layout.registryRuns())) {
      return java.util.Collections.emptyIterator();
    }
    java.util.Iterator<Row> rows = newestFirstRows().toLocalIterator();
    return new java.util.Iterator<>() {
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

  /** Every registered attempt, newest first (one row per attempt, never per data row); for the verifier. */
  public List<Entry> entries() {
    if (!exists(layout.registryRuns())) {
      return List.of();
    }
    return newestFirstRows().collectAsList().stream().map(RunRegistry::entry).toList();
  }

  private Dataset<Row> newestFirstRows() {
    return spark.read().format("delta").load(layout.registryRuns())
        .orderBy(col("registered_at").desc(), col("run_id").desc());
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
