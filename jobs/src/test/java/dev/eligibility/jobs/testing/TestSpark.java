package dev.eligibility.jobs.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import dev.eligibility.jobs.run.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The test JVM's one Spark session ({@code local[2]} with the settings of
 * {@code conf/spark-local.conf} and the job's engine defaults, Delta enabled, UTC), shared by all test classes because a JVM holds one context
 * and starting it dominates a small test's time. Also spark-testing-base's DataFrame comparison.
 */
public final class TestSpark {

  private static SparkSession session;
  private static JavaDataFrameSuiteBase comparisons;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      SparkSession.Builder builder = SparkSession.builder().appName("eligibility-tests");
      // The job's own local settings (conf/spark-local.conf), on two cores whatever the machine.
      SparkSessions.localDefaults().forEach(builder::config);
      session = builder
          .master("local[2]")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
      SparkSessions.applyEngineDefaults(session);
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
