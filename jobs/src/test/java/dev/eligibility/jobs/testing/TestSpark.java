package dev.eligibility.jobs.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The test JVM's one Spark session ({@code local[2]}, UI off, two shuffle partitions, bound to
 * 127.0.0.1, Delta enabled, UTC), shared by all test classes because a JVM holds one context
 * and starting it dominates a small test's time. Also spark-testing-base's DataFrame comparison.
 */
public final class TestSpark {

  private static SparkSession session;
  private static JavaDataFrameSuiteBase comparisons;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("eligibility-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .getOrCreate();
    }
    return session;
  }

  /**
   * Asserts two DataFrames hold the same rows in any order, schema first, with
   * spark-testing-base; a failure prints the differing rows.
   */
  public static synchronized void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    if (comparisons == null) {
      comparisons = new JavaDataFrameSuiteBase();
    }
    comparisons.assertDataFrameNoOrderEquals(expected, actual);
  }
}
