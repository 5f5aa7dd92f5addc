package dev.eligibility.jobs.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a run uses. Under {@code spark-submit} the master and resources come from
 * the submit; run directly, the job uses embedded local Spark on every core with the settings of
 * {@code conf/spark-local.conf} (the launcher passes that file; any other embedded session reads
 * the copy bundled in the jar, so there is one list of local settings).
 */
public final class SparkSessions {

  /**
   * Settings every session of the job gets unless the user set them. A shuffled join whose build
   * side fits a per-partition hash map of this size at run time (adaptive execution measures it)
   * is a shuffled hash join: the other side, which may carry the payload, is then never sorted.
   * Must be at least {@code spark.sql.adaptive.advisoryPartitionSizeInBytes} (64 MB by default).
   */
  static final Map<String, String> ENGINE_DEFAULTS = Map.of(
      "spark.sql.adaptive.enabled", "true",
      "spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold", "256m");

  private SparkSessions() {}

  /** The session, creating it if this JVM has none. Delta and UTC are always configured. */
  public static SparkSession getOrCreate(String appName) {
    SparkSession.Builder builder = deltaInUtc(appName);
    SparkConf given = new SparkConf();
    if (!umaskChosen(given)) {
      // Before the context exists, so that every file system instance (they are cached with the
      // configuration they were created with) sees it.
      builder.config("spark.hadoop." + UMASK, OWNER_ONLY_UMASK);
    }
    if (!given.contains("spark.master")) {
      // Run without spark-submit and without conf/spark-local.conf (an IDE, a notebook).
      localDefaults().forEach((key, value) -> {
        if (!given.contains(key)) {
          builder.config(key, value);
        }
      });
    }
    return configured(builder.getOrCreate());
  }

  /**
   * An embedded local session on {@code master} (such as {@code local[2]}) with exactly the
   * settings a run gets without {@code spark-submit}: {@code conf/spark-local.conf}, Delta, UTC
   * and the engine defaults. For the tests, so that they run on the job's own settings.
   */
  public static SparkSession local(String appName, String master) {
    SparkSession.Builder builder = deltaInUtc(appName).master(master);
    localDefaults().forEach(builder::config);
    return configured(builder.getOrCreate());
  }

  private static SparkSession.Builder deltaInUtc(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC");
  }

  /** Runtime settings: they hold even when a session already existed (tests, notebooks). */
  private static SparkSession configured(SparkSession spark) {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    applyEngineDefaults(spark);
    ownerOnlyUnlessConfigured(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  /** Sets each of {@link #ENGINE_DEFAULTS} the session does not have yet. */
  private static void applyEngineDefaults(SparkSession spark) {
    ENGINE_DEFAULTS.forEach((key, value) -> {
      if (!spark.conf().contains(key)) {
        spark.conf().set(key, value);
      }
    });
  }

  /** The settings of {@code conf/spark-local.conf}, as bundled in the jar, in file order. */
  public static Map<String, String> localDefaults() {
    Map<String, String> settings = new LinkedHashMap<>();
    try (InputStream in = SparkSessions.class.getResourceAsStream("/conf/spark-local.conf")) {
      if (in == null) {
        throw new IllegalStateException("conf/spark-local.conf is not on the classpath; rebuild the jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] keyValue = trimmed.split("\\s+", 2);
        settings.put(keyValue[0], keyValue.length > 1 ? keyValue[1].strip() : "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed reading the bundled conf/spark-local.conf", e);
    }
    return settings;
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
