package dev.eligibility.jobs.run;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a run uses. Under {@code spark-submit} the master and resources come from
 * the submit; run directly, the job uses embedded local Spark on every core.
 */
public final class SparkSessions {

  private SparkSessions() {}

  /** The session, creating it if this JVM has none. Delta and UTC are always configured. */
  public static SparkSession getOrCreate(String appName) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
    if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "8");
    }
    SparkSession spark = builder.getOrCreate();
    // Runtime setting: holds even when a session already existed (tests, notebooks).
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    return spark;
  }

  /** Whether the session runs in this JVM only. */
  public static boolean isLocal(SparkSession spark) {
    return spark.sparkContext().isLocal();
  }
}
