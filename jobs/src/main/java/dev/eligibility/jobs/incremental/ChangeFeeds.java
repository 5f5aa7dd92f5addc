package dev.eligibility.jobs.incremental;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.input.BoundTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What changed in each Delta input between the version the base run read and the version this run
 * reads, from Delta's change data feed ({@code delta.enableChangeDataFeed}): inserted and deleted
 * rows and both images of updated ones.
 */
final class ChangeFeeds {

  private static final StructType ONE_KEY = new StructType().add("key", DataTypes.StringType);

  private final SparkSession spark;
  private final Map<String, Long> baseVersions;

  /** @param baseVersions the version the base run read of each input this run reads, by {@link #label} */
  ChangeFeeds(SparkSession spark, Map<String, Long> baseVersions) {
    this.spark = spark;
    this.baseVersions = Map.copyOf(baseVersions);
  }

  /** The values of {@code key} (as strings, null kept) of every row of {@code table} that changed. */
  Dataset<Row> changedKeys(BoundTable table, String key) {
    long from = baseVersions.get(label(table));
    long to = table.deltaVersion().orElseThrow();
    if (from == to) {
      return spark.createDataFrame(List.<Row>of(), ONE_KEY);
    }
    return feed(table, from, to).select(col(key).cast(DataTypes.StringType).as("key"));
  }

  /**
   * Why the change feed of {@code table} since the base run's version cannot be read, if it
   * cannot: planned now, so that a table without a change feed (or with a gap in it) makes the run
   * a full one before anything is decided.
   */
  Optional<String> unreadable(BoundTable table) {
    long from = baseVersions.get(label(table));
    long to = table.deltaVersion().orElseThrow();
    if (from == to) {
      return Optional.empty();
    }
    try {
      feed(table, from, to).queryExecution().executedPlan();
      return Optional.empty();
    } catch (Exception e) { // Delta's AnalysisException is a checked exception Scala throws undeclared
      if (!(e instanceof RuntimeException) && !(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw new IllegalStateException(e);
      }
      String message = String.valueOf(e.getMessage()).lines().map(String::strip).filter(line -> !line.isEmpty())
          .findFirst().orElse(e.getClass().getSimpleName());
      return Optional.of("the change data feed of " + table.contract().table() + " '" + table.input().name()
          + "' from version " + (from + 1) + " to " + to + " cannot be read (" + message + ")");
    }
  }

  /** An input's key in the base versions: its contract table and its name. */
  static String label(BoundTable table) {
    return table.contract().table() + "/" + table.input().name();
  }

  private Dataset<Row> feed(BoundTable table, long from, long to) {
    return spark.read().format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", from + 1)
        .option("endingVersion", to)
        .load(table.input().path());
  }
}
