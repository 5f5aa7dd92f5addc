package dev.eligibility.jobs.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * {@code --verbose} for every command that starts Spark: Spark's own INFO lines on the console.
 * Raises only the root level, so the loggers {@code conf/log4j2.properties} pins (Delta's, which
 * print table snapshots) stay quiet.
 */
final class SparkVerbosity {

  @Option(names = "--verbose", description = "Show Spark's own INFO logging.")
  boolean verbose;

  SparkSession apply(SparkSession spark) {
    if (verbose) {
      spark.sparkContext().setLogLevel("INFO");
    }
    return spark;
  }
}
