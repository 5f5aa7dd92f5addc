package dev.eligibility.jobs.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import dev.eligibility.jobs.run.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The test JVM's one Spark session ({@code local[2]} with the settings a run gets without
 * {@code spark-submit}: {@link SparkSessions#local}), shared by all test classes because a JVM holds one context
 * and starting it dominates a small test's time. Also spark-testing-base's DataFrame comparison.
 */
public final class TestSpark {

  private static SparkSession session;
  private static JavaDataFrameSuiteBase comparisons;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      // The job's own local settings (conf/spark-local.conf, Delta, UTC, engine defaults), on two
      // cores whatever the machine.
      session = SparkSessions.local("eligibility-tests", "local[2]");
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
