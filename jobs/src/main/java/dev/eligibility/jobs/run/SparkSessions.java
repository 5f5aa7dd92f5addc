package dev.eligibility.jobs.run;

import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a run uses. Under {@code spark-submit} the master and resources come from
 * the submit; run directly, the job uses embedded local Spark on every core.
 */
public final class SparkSessions {

  /** Defaults for embedded runs; conf/spark-local.conf holds the same, for the launcher. */
  private static final java.util.Map<String, String> LOCAL_DEFAULTS = java.util.Map.of(
      "spark.ui.enabled", "false",
      "spark.driver.host", "127.0.0.1",
      "spark.driver.bindAddress", "127.0.0.1",
      "spark.sql.shuffle.partitions", "2",
      "spark.databricks.delta.snapshotPartitions", "1");

  private SparkSessions() {}

  /** The session, creating it if this JVM has none. Delta and UTC are always configured. */
  public static SparkSession getOrCreate(String appName) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
    SparkConf given = new SparkConf();
    if (!umaskChosen(given)) {
      // Before the context exists, so that every file system instance (they are cached with the
      // configuration they were created with) sees it.
      builder.config("spark.hadoop." + UMASK, OWNER_ONLY_UMASK);
    }
    if (!given.contains("spark.master")) {
      // Run without spark-submit and without conf/spark-local.conf (an IDE, a notebook).
      builder.master("local[*]");
      LOCAL_DEFAULTS.forEach((key, value) -> {
        if (!given.contains(key)) {
          builder.config(key, value);
        }
      });
    }
    SparkSession spark = builder.getOrCreate();
    // Runtime setting: holds even when a session already existed (tests, notebooks).
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    ownerOnlyUnlessConfigured(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  /** The Hadoop setting that decides the permissions of every file and folder a run creates. */
  public static final String UMASK = "fs.permissions.umask-mode";

  /** Owner-only unless the user chose otherwise ({@code --conf spark.hadoop.fs.permissions.umask-mode=027}). */
  public static final String OWNER_ONLY_UMASK = "077";

  /**
   * {@code eligible/} holds payload: on local disks and HDFS, outputs are readable by their owner
   * only (files 600, folders 700) unless the cluster ({@code core-site.xml}) or the user
   * ({@code --conf spark.hadoop.fs.permissions.umask-mode=...}) chose a umask. Hadoop's built-in
   * default (022, world-readable) counts as not chosen. Object stores ignore it: on S3 the bucket
   * policy and encryption decide ({@code conf/spark-s3.conf}).
   */
  static boolean umaskChosen(SparkConf conf) {
    if (conf.contains("spark.hadoop." + UMASK)) {
      return true;
    }
    return !onlyHadoopsDefault(new Configuration());
  }

  /** Whether the umask in {@code hadoop} is Hadoop's built-in 022, which nobody chose. */
  private static boolean onlyHadoopsDefault(Configuration hadoop) {
    String[] sources = hadoop.getPropertySources(UMASK);
    return sources == null || Arrays.stream(sources).allMatch("core-default.xml"::equals);
  }

  /**
   * The same for a context that already existed (a notebook's, the tests'): file systems Hadoop
   * created and cached before keep the umask they were created with.
   */
  static void ownerOnlyUnlessConfigured(Configuration hadoop) {
    if (onlyHadoopsDefault(hadoop)) {
      hadoop.set(UMASK, OWNER_ONLY_UMASK, "eligibility: outputs hold payload");
    }
  }

}
