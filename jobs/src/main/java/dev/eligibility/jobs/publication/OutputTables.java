package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.evidence.RowDigester;
import dev.eligibility.jobs.input.TableReader;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.policy.EligibleSetClaims;
import dev.eligibility.jobs.policy.Facts;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.CreateTableWriter;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a run's decided rows to the two Delta tables.
 *
 * <p>{@code eligible/} is overwritten as a whole (its latest version holds exactly this run's
 * rows; earlier runs stay reachable by time travel). {@code exclusions/} keeps every run's rows:
 * this run's rows replace, in one atomic commit ({@code replaceWhere}), whatever rows an earlier
 * attempt of the same run id left, so a re-run never duplicates them.
 */
public final class OutputTables {

  private final SparkSession spark;
  private final OutputLayout layout;
  private final String commitMetadata;

  /**
   * The output tables of {@code layout}, written by run {@code runId}: every commit carries
   * Delta's {@code userMetadata} naming the run, its Spark application and the build
   * ({@code codeVersion}), so that a table's history says which run wrote each version (the
   * manifest, written after, binds them).
   */
  public OutputTables(SparkSession spark, OutputLayout layout, String runId, String codeVersion) {
    this.spark = spark;
    this.layout = layout;
    this.commitMetadata = commitMetadata(runId, spark.sparkContext().applicationId(), codeVersion);
  }

  static String commitMetadata(String runId, String applicationId, String codeVersion) {
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    json.put("eligibility_run_id", runId);
    json.put("spark_application_id", applicationId);
    json.put("code_version", codeVersion);
    return json.toString();
  }

  /** The exclusion rows: identifiers and reasons only, each column commented with its meaning. */
  public static Dataset<Row> exclusionRows(Dataset<Row> decided, String runId) {
    Dataset<Row> rows = decided.filter(col(Facts.REASON).isNotNull()).select(RowDigester.named(exclusionColumns(runId)));
    return rows.select(java.util.Arrays.stream(OutputColumns.commented(rows.schema(), OutputColumns.exclusions()).fields())
        .map(field -> col(field.name()).as(field.name(), field.metadata())).toArray(Column[]::new));
  }

  /** The columns of {@code eligible/}, by name, as expressions over the decided rows. */
  public static Map<String, Column> eligibleColumns(String runId, List<String> corpusColumns) {
    Map<String, Column> columns = new LinkedHashMap<>();
    corpusColumns.forEach(c -> columns.put(c, col(c)));
    columns.put("run_id", lit(runId));
    return columns;
  }

  /**
   * The columns of {@code exclusions/}, in order, as expressions over the decided rows. Never the
   * payload. Beyond the contract's columns: {@code corpus_input}, and the organization and project
   * whose data the row is (the request's for API rows, the file owner's for training-file rows;
   * null otherwise or when unknown).
   */
  public static Map<String, Column> exclusionColumns(String runId) {
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put("run_id", lit(runId));
    columns.put("record_id", col("record_id"));
    columns.put("source_kind", col("source_kind"));
    columns.put("source_ref", col("source_ref"));
    columns.put("reason", col(Facts.REASON));
    columns.put("reasons", col(Facts.REASONS));
    columns.put("corpus_input", col(Facts.INPUT));
    // Whose data the row is, so that a question about one organization is a filter, not a join.
    columns.put("organization_id", EligibleSetClaims.organization());
    columns.put("project_id", EligibleSetClaims.project());
    return columns;
  }


  /**
   * The only columns of {@code eligible/} that Delta keeps minimum and maximum values of. Delta
   * writes those statistics into the table's log (and prints them in its INFO lines), so payload
   * and any other column a corpus brings must never be among them.
   */
  public static final String ELIGIBLE_STATS_COLUMNS = "record_id,source_kind,source_ref,run_id";

  static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";
  static final String DELETED_FILE_RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";

  /** Writes the eligible table and returns the version committed. */
  public long writeEligible(Dataset<Row> eligibleRows) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(STATS_COLUMNS_PROPERTY, ELIGIBLE_STATS_COLUMNS);
    properties.put(DELETED_FILE_RETENTION_PROPERTY, AuditWindow.of(spark.conf()).deltaInterval());
    return write(layout.eligible(), OutputColumns.ELIGIBLE_DESCRIPTION, properties, eligibleRows,
        writer -> writer.mode("overwrite").option("overwriteSchema", "true"));
  }

  /** Replaces {@code runId}'s rows in the exclusions table and returns the version committed. */
  public long writeExclusions(Dataset<Row> exclusionRows, String runId) {
    return write(layout.exclusions(), OutputColumns.EXCLUSIONS_DESCRIPTION,
        Map.of(DELETED_FILE_RETENTION_PROPERTY, AuditWindow.of(spark.conf()).deltaInterval()), exclusionRows,
        writer -> writer.mode("overwrite").option("replaceWhere", "run_id = '" + runId + "'"));
  }

  static final String DELETION_VECTORS_PROPERTY = "delta.enableDeletionVectors";
  static final String USER_METADATA = "userMetadata";
  static final String SESSION_USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

  /** Replaces the decisions table with {@code decided} (every corpus row's keys, facts and reasons) and returns its version. */
  public long writeDecisions(Dataset<Row> decided) {
    return write(layout.decisions(), OutputColumns.DECISIONS_DESCRIPTION, decisionsProperties(), decided,
        writer -> writer.mode("overwrite").option("overwriteSchema", "true"));
  }

  /**
   * Replaces the rows of the record ids {@code changedIds} (column {@code idColumn}, a null id
   * matching null) in the decisions table with {@code redecided}, when the table is still at
   * {@code baseVersion}: a delete by deletion vectors and an append, so no other row is rewritten.
   * A table that moved since (a run that failed after writing it) is replaced by {@code decided}.
   * Returns the version that holds the run's decided rows.
   */
  public long updateDecisions(long baseVersion, Dataset<Row> changedIds, String idColumn, Dataset<Row> redecided,
      Dataset<Row> decided) {
    String path = layout.decisions();
    if (TableReader.latestVersion(spark, path) != baseVersion) {
      return writeDecisions(decided);
    }
    ensureMetadata(path, OutputColumns.DECISIONS_DESCRIPTION, decisionsProperties());
    withUserMetadata(() -> DeltaTable.forPath(spark, path).as("kept")
        .merge(changedIds.as("changed"), col("kept.record_id").eqNullSafe(col("changed." + idColumn)))
        .whenMatched().delete()
        .execute());
    return write(path, OutputColumns.DECISIONS_DESCRIPTION, decisionsProperties(), redecided,
        writer -> writer.mode("append"));
  }

  private Map<String, String> decisionsProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(DELETION_VECTORS_PROPERTY, "true");
    properties.put(DELETED_FILE_RETENTION_PROPERTY, AuditWindow.of(spark.conf()).deltaInterval());
    return properties;
  }

  /**
   * Writes {@code rows} to the table at {@code path}, which carries {@code description} and
   * {@code properties}. An existing table is given whichever it lacks first, then written by
   * {@code existingTable}. A new table is created with them in the same commit as its first rows:
   * a create-then-write would add a version, and a plain create refuses a folder that a crashed
   * first attempt left files in, which a create-or-replace of a path that is no table yet
   * overwrites (the output root's claim keeps any other run from creating it meanwhile).
   */
  private long write(String path, String description, Map<String, String> properties, Dataset<Row> rows,
      UnaryOperator<DataFrameWriter<Row>> existingTable) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      ensureMetadata(path, description, properties);
      existingTable.apply(rows.write().format("delta").option(USER_METADATA, commitMetadata)).save(path);
    } else {
      CreateTableWriter<Row> create = rows.writeTo(pathIdentifier(path)).using("delta")
          .option(USER_METADATA, commitMetadata)
          .tableProperty(DESCRIPTION_PROPERTY, description);
      properties.forEach(create::tableProperty);
      create.createOrReplace();
    }
    return TableReader.latestVersion(spark, path);
  }

  /** The table at {@code path} as Spark SQL names a Delta table by its path. */
  public static String pathIdentifier(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }

  /** Where Delta keeps a table's description among the properties of a create or an ALTER TABLE. */
  static final String DESCRIPTION_PROPERTY = "comment";

  /**
   * A table written before its description or a property was set (or with another value) gets
   * them, in one commit.
   */
  private void ensureMetadata(String path, String description, Map<String, String> properties) {
    Row detail = DeltaTable.forPath(spark, path).detail().select("description", "properties").head();
    Map<String, String> current = detail.getJavaMap(1);
    List<String> changes = new ArrayList<>();
    if (!description.equals(detail.getString(0))) {
      changes.add(sqlPair(DESCRIPTION_PROPERTY, description));
    }
    properties.forEach((key, value) -> {
      if (!value.equals(current.get(key))) {
        changes.add(sqlPair(key, value));
      }
    });
    if (!changes.isEmpty()) {
      withUserMetadata(() -> spark.sql("ALTER TABLE " + pathIdentifier(path) + " SET TBLPROPERTIES ("
          + String.join(", ", changes) + ")"));
    }
  }

  /** Runs {@code sqlCommit} (a MERGE, an ALTER TABLE: they take no write options) with this run's user metadata. */
  private void withUserMetadata(Runnable sqlCommit) {
    spark.conf().set(SESSION_USER_METADATA, commitMetadata);
    try {
      sqlCommit.run();
    } finally {
      spark.conf().unset(SESSION_USER_METADATA);
    }
  }

  private static String sqlPair(String key, String value) {
    return "'" + key + "' = '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
