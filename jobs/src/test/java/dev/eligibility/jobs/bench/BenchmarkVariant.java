package dev.eligibility.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.decision.Decision;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.decision.DecisionTally;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.Term;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.spec.Purpose;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One benchmark variant, run as a process of its own by {@link CompareBenchmark}; prints
 * {@code eligible=N} (the rows it kept) on its last line. The real run is not here: it is
 * {@code eligibility run} itself.
 *
 * <ul>
 *   <li>{@code generate DATA ROWS}: writes the generated tables (not timed);
 *   <li>{@code enable-change-feed DATA}: turns on every table's change data feed (not timed);
 *   <li>{@code change-night DATA}: one night's upstream changes (not timed): 1% of the corpus
 *       rows updated, and an opt-out of 1% of the organizations effective after the first night;
 *   <li>{@code without-evidence DATA OUT}: the run's reading, checks, decision, tally and both
 *       writes, without any digest or Merkle root, registry or manifest;
 *   <li>{@code copy DATA OUT}: the corpus read and written to Delta, nothing else;
 *   <li>{@code duckdb DATA OUT}: the decision as plain SQL in DuckDB over the Delta tables' Parquet
 *       files, writing the eligible rows to Parquet;
 *   <li>{@code zero-copy DATA OUT}: the zero-copy publication that was measured and not adopted
 *       (docs/performance.md): the decision without evidence, then a shallow clone of the corpus
 *       whose excluded rows are deleted with deletion vectors, no payload rewritten.
 * </ul>
 */
public final class BenchmarkVariant {

  private BenchmarkVariant() {}

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    BenchmarkData data = new BenchmarkData(Path.of(args[1]));
    long eligible = switch (variant) {
      case "generate" -> generate(data, Long.parseLong(args[2]));
      case "enable-change-feed" -> enableChangeFeed(data);
      case "change-night" -> changeNight(data);
      case "without-evidence" -> withoutEvidence(data, Path.of(args[2]));
      case "copy" -> copy(data, Path.of(args[2]));
      case "duckdb" -> duckDb(data, Path.of(args[2]));
      case "zero-copy" -> zeroCopy(data, Path.of(args[2]));
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    };
    System.out.println("eligible=" + eligible);
    System.exit(0);
  }

  private static long generate(BenchmarkData data, long rows) {
    data.generate(SparkSessions.getOrCreate("benchmark data"), rows);
    return -1;
  }

  private static long enableChangeFeed(BenchmarkData data) {
    SparkSession spark = SparkSessions.getOrCreate("benchmark: change data feed on");
    for (String table : BenchmarkData.TABLES) {
      spark.sql("ALTER TABLE delta.`" + data.root().resolve(table) + "` SET TBLPROPERTIES"
          + " ('delta.enableChangeDataFeed' = 'true', 'delta.enableDeletionVectors' = 'true')");
    }
    return -1;
  }

  /**
   * The changes of one night after {@link BenchmarkData#AS_OF}: every hundredth corpus row gets a
   * new payload (1%), and every hundredth organization (1%) opts out an hour after as_of.
   */
  private static long changeNight(BenchmarkData data) {
    SparkSession spark = SparkSessions.getOrCreate("benchmark: one night's changes");
    spark.sql("UPDATE delta.`" + data.root().resolve("corpus") + "` SET content = concat(content, ' (edited)')"
        + " WHERE pmod(hash(record_id), 100) = 0");
    String optOut = java.sql.Timestamp.from(BenchmarkData.AS_OF.plusSeconds(3600)).toString();
    spark.sql("INSERT INTO delta.`" + data.root().resolve("consent_events") + "`"
        + " SELECT concat('ev-night-', id), concat('org-', id * 100), CAST(NULL AS STRING), 'OPT_OUT',"
        + " TIMESTAMP '" + optOut + "', TIMESTAMP '" + optOut + "'"
        + " FROM range(" + BenchmarkData.ORGANIZATIONS / 100 + ")");
    return -1;
  }

  private static long zeroCopy(BenchmarkData data, Path out) throws java.io.IOException {
    SparkSession spark = SparkSessions.getOrCreate("benchmark: zero-copy publication");
    InputTables inputs = inputs(spark, data, out);
    RunContext context = new RunContext(Purpose.BASE_MODEL, Optional.empty(), BenchmarkData.AS_OF, PolicyFile.bundled());
    Decision.Persisted persisted = Decision.persist(inputs, context);
    Dataset<Row> decided = persisted.decided();
    try {
      DecisionTally tally = DecisionTally.of(decided, context);
      persisted.releaseKeys();
      OutputTables.exclusionRows(decided, "bench").write().format("delta").save(out.resolve("exclusions").toString());
      String clone = out.resolve("eligible").toString();
      spark.sql("CREATE TABLE delta.`" + clone + "` SHALLOW CLONE delta.`" + data.corpus().path() + "`");
      spark.sql("ALTER TABLE delta.`" + clone + "` SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
      Dataset<Row> excludedIds = decided.filter(col(Facts.REASON).isNotNull())
          .filter(Definitions.present(Term.field("record_id")).column())
          .select(col("record_id").as("excluded_id")).distinct();
      io.delta.tables.DeltaTable.forPath(spark, clone).as("t")
          .merge(excludedIds.as("x"), "t.record_id = x.excluded_id").whenMatched().delete().execute();
      spark.sql("DELETE FROM delta.`" + clone + "` WHERE record_id IS NULL OR record_id = ''");
      long kept = spark.read().format("delta").load(clone).count();
      if (kept != tally.counts().eligible()) {
        throw new IllegalStateException("the clone keeps " + kept + " rows, the decision " + tally.counts().eligible());
      }
      return kept;
    } finally {
      decided.unpersist();
    }
  }

  /** The inputs of the spec the real run reads, read as the run reads them but without digests. */
  private static InputTables inputs(SparkSession spark, BenchmarkData data, Path out) throws java.io.IOException {
    Path spec = out.resolve("spec.yaml");
    java.nio.file.Files.writeString(spec, data.spec(out.resolve("root")));
    return EligibilityRun.readInputs(TableReader.withoutDigests(spark), new RunSpecParser(Clock.systemUTC()).parse(spec));
  }

  private static long withoutEvidence(BenchmarkData data, Path out) throws java.io.IOException {
    SparkSession spark = SparkSessions.getOrCreate("benchmark: run without evidence");
    InputTables inputs = inputs(spark, data, out);
    RunContext context = new RunContext(Purpose.BASE_MODEL, Optional.empty(), BenchmarkData.AS_OF, PolicyFile.bundled());
    Decision.Persisted persisted = Decision.persist(inputs, context);
    Dataset<Row> decided = persisted.decided();
    try {
      DecisionTally tally = DecisionTally.of(decided, context);
      persisted.releaseKeys();
      DecisionTally.eligibleRowsByOrganization(decided).count();
      OutputTables.exclusionRows(decided, "bench").write().format("delta").save(out.resolve("exclusions").toString());
      Dataset<Row> ids = decided.filter(col(Facts.REASON).isNull()).select(col("record_id").as("eligible_id"));
      Dataset<Row> corpus = CorpusUnion.rows(inputs.corpus());
      corpus.filter(Definitions.present(Term.field("record_id")).column())
          .join(ids, col("record_id").equalTo(col("eligible_id")), "left_semi")
          .drop(Facts.INPUT)
          .withColumn("run_id", lit("bench"))
          .write().format("delta").save(out.resolve("eligible").toString());
      return tally.counts().eligible();
    } finally {
      decided.unpersist();
    }
  }

  private static long copy(BenchmarkData data, Path out) {
    SparkSession spark = SparkSessions.getOrCreate("benchmark: bare copy");
    Dataset<Row> corpus = spark.read().format("delta").load(data.corpus().path());
    corpus.write().format("delta").save(out.resolve("copy").toString());
    return spark.read().format("delta").load(out.resolve("copy").toString()).count();
  }

  private static long duckDb(BenchmarkData data, Path out) throws SQLException {
    Path eligible = out.resolve("eligible.parquet");
    java.io.File folder = out.toFile();
    if (!folder.isDirectory() && !folder.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute("COPY (" + DuckDbDecision.eligibleRows(data.root(), BenchmarkData.AS_OF) + ") TO '"
          + eligible + "' (FORMAT parquet)");
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM read_parquet('" + eligible + "')")) {
        count.next();
        return count.getLong(1);
      }
    }
  }
}
