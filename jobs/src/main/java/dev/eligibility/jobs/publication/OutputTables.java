package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.evidence.RowDigester;
import dev.eligibility.jobs.input.TableReader;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.policy.Facts;
import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
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

  public OutputTables(SparkSession spark, OutputLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /** The exclusion rows: identifiers and reasons only. */
  public static Dataset<Row> exclusionRows(Dataset<Row> decided, String runId) {
    return decided.filter(col(Facts.REASON).isNotNull()).select(RowDigester.named(exclusionColumns(runId)));
  }

  /** The columns of {@code eligible/}, by name, as expressions over the decided rows. */
  public static Map<String, Column> eligibleColumns(String runId, List<String> corpusColumns) {
    Map<String, Column> columns = new LinkedHashMap<>();
    corpusColumns.forEach(c -> columns.put(c, col(c)));
    columns.put("run_id", lit(runId));
    return columns;
  }

  /** The columns of {@code exclusions/}, in order, as expressions over the decided rows. Never the payload. */
  public static Map<String, Column> exclusionColumns(String runId) {
    Map<String, Column> columns = new LinkedHashMap<>();
    columns.put("run_id", lit(runId));
    columns.put("record_id", col("record_id"));
    columns.put("source_kind", col("source_kind"));
    columns.put("source_ref", col("source_ref"));
    columns.put("reason", col(Facts.REASON));
    columns.put("reasons", col(Facts.REASONS));
    columns.put("corpus_input", col(Facts.INPUT));
    return columns;
  }


  /**
   * The only columns of {@code eligible/} that Delta keeps minimum and maximum values of. Delta
   * writes those statistics into the table's log (and prints them in its INFO lines), so payload
   * and any other column a corpus brings must never be among them.
   */
  public static final String ELIGIBLE_STATS_COLUMNS = "record_id,source_kind,source_ref,run_id";

  static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";

  /** Writes the eligible table and returns the version committed. */
  public long writeEligible(Dataset<Row> eligibleRows) {
    String path = layout.eligible();
    if (DeltaTable.isDeltaTable(spark, path)) {
      keepPayloadOutOfStatistics(path);
      eligibleRows.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(path);
    } else {
      // A new table takes its properties from the session's defaults in the same commit as its
      // first rows (a create-then-write would add a version; a CTAS refuses a folder a crashed
      // first attempt left files in).
      String defaultKey = "spark.databricks.delta.properties.defaults." + STATS_COLUMNS_PROPERTY.substring("delta.".length());
      spark.conf().set(defaultKey, ELIGIBLE_STATS_COLUMNS);
      try {
        eligibleRows.write().format("delta").mode("overwrite").save(path);
      } finally {
        spark.conf().unset(defaultKey);
      }
    }
    return TableReader.latestVersion(spark, path);
  }

  /** An {@code eligible/} table written before statistics were restricted gets the restriction (once). */
  private void keepPayloadOutOfStatistics(String path) {
    String current = DeltaTable.forPath(spark, path).detail().select("properties").head().<String, String>getJavaMap(0)
        .get(STATS_COLUMNS_PROPERTY);
    if (!ELIGIBLE_STATS_COLUMNS.equals(current)) {
      spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES ('" + STATS_COLUMNS_PROPERTY
          + "' = '" + ELIGIBLE_STATS_COLUMNS + "')");
    }
  }

  /** Replaces {@code runId}'s rows in the exclusions table and returns the version committed. */
  public long writeExclusions(Dataset<Row> exclusionRows, String runId) {
    exclusionRows.write().format("delta").mode("overwrite")
        .option("replaceWhere", "run_id = '" + runId + "'")
        .save(layout.exclusions());
    return TableReader.latestVersion(spark, layout.exclusions());
  }

}
