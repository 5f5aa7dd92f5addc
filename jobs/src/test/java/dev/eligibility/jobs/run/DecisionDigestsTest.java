package dev.eligibility.jobs.run;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.output.RowDigests;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.lineage.DatasetDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The digests a decision computes from its decided rows equal those computed from the tables
 * themselves: each corpus input's from its own typed rows, each output's from the rows written.
 */
class DecisionDigestsTest {

  static final String RUN = "run-1";

  @Test
  void corpusInputDigestsFromTheDecidedRowsEqualTheDigestsOfTheInputsThemselves() {
    SparkSession spark = TestSpark.session();
    World world = World.empty()
        .with(Candidate.of("web-1", "PUBLIC_WEB", "https://example.org/1").in("web"))
        .with(Candidate.of("web-2", "LICENSED", "lic-x").in("web"))
        .with(Candidate.of("api-1", "API", "req-unknown").in("api"))
        .with(Candidate.of("file-1", "FINE_TUNE_FILE", "file-unknown").in("files"));
    InputTables inputs = world.inputs(spark);
    RunContext context = new RunContext(Purpose.BASE_MODEL, Optional.empty(), Instant.parse("2026-11-01T00:00:00Z"),
        PolicyFile.bundled());

    try (Decision decision = Decision.of(inputs, context, RUN)) {
      for (BoundTable input : inputs.corpus()) {
        assertThat(decision.corpusDigest(input.input().name())).as(input.input().name())
            .isEqualTo(RowDigests.digest(input.rows(), "record_id").hex());
      }
      assertThat(decision.eligibleDigest()).isEqualTo(RowDigests.digest(decision.eligibleRows(), "record_id").hex());
      assertThat(decision.exclusionsDigest()).isEqualTo(RowDigests.digest(decision.exclusionRows(), "record_id").hex());
      assertThat(decision.tally().counts().eligible()).isEqualTo(1);
    }
  }

  @Test
  void inputsWithTheirOwnExtraColumnsAndAWidenedTypeAreDigestedAsTheyWereRead() {
    SparkSession spark = TestSpark.session();
    BoundTable web = corpus("web", spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "text one", 7, 1.1f),
        RowFactory.create("w-2", "PUBLIC_WEB", "https://example.org/2", null, null, null)),
        corpusSchema().add("pages", DataTypes.IntegerType).add("score", DataTypes.FloatType)));
    BoundTable books = corpus("books", spark.createDataFrame(List.of(
        RowFactory.create("b-1", "LICENSED", "lic-1", "a book", 9_000_000_000L, "en", 2.5d)),
        corpusSchema().add("pages", DataTypes.LongType).add("lang", DataTypes.StringType).add("score", DataTypes.DoubleType)));
    Dataset<Row> decided = decided(web, books);
    assertThat(decided.schema().apply("pages").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(decided.schema().apply("score").dataType()).isEqualTo(DataTypes.DoubleType);

    DecisionDigests digests = DecisionDigests.of(decided, List.of(web, books), RUN, EligibilityEngine.corpusColumns(decided));

    assertThat(digests.corpus()).containsOnlyKeys("web", "books");
    assertThat(digests.corpus().get("web")).isEqualTo(RowDigests.digest(web.rows(), "record_id").hex());
    assertThat(digests.corpus().get("books")).isEqualTo(RowDigests.digest(books.rows(), "record_id").hex());
    List<String> corpusColumns = EligibilityEngine.corpusColumns(decided);
    assertThat(digests.eligible())
        .isEqualTo(RowDigests.digest(OutputTables.eligibleRows(decided, RUN, corpusColumns), "record_id").hex());
    assertThat(digests.exclusions())
        .isEqualTo(RowDigests.digest(OutputTables.exclusionRows(decided, RUN), "record_id").hex());
  }

  @Test
  void anInputWithNoRowsHasTheDigestOfTheEmptySet() {
    SparkSession spark = TestSpark.session();
    BoundTable web = corpus("web", spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "text")), corpusSchema()));
    BoundTable empty = corpus("empty", spark.createDataFrame(List.<Row>of(), corpusSchema()));
    Dataset<Row> decided = decided(web, empty);

    DecisionDigests digests = DecisionDigests.of(decided, List.of(web, empty), RUN, EligibilityEngine.corpusColumns(decided));

    assertThat(digests.corpus().get("empty")).isEqualTo(new DatasetDigest().hex());
    assertThat(digests.corpus().get("web")).isEqualTo(RowDigests.digest(web.rows(), "record_id").hex());
  }

  @Test
  void aDecisionThatLostOrRepeatedARowIsRefused() {
    SparkSession spark = TestSpark.session();
    BoundTable web = corpus("web", spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one"),
        RowFactory.create("w-2", "PUBLIC_WEB", "https://example.org/2", "two")), corpusSchema()));
    Dataset<Row> decided = decided(web);
    List<String> columns = EligibilityEngine.corpusColumns(decided);

    Dataset<Row> lost = decided.filter(col("record_id").notEqual("w-2"));
    assertThatThrownBy(() -> DecisionDigests.of(lost, List.of(web), RUN, columns))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("corpus input 'web'")
        .hasMessageContaining("decided 1 rows, read 2");
    Dataset<Row> repeated = decided.union(decided.filter(col("record_id").equalTo("w-1")));
    assertThatThrownBy(() -> DecisionDigests.of(repeated, List.of(web), RUN, columns))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("decided 3 rows, read 2");
  }

  @Test
  void aDecidedRowThatDiffersFromTheRowReadIsRefusedWhereTheReadWasDigested() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> rows = spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one")), corpusSchema());
    String readDigest = RowDigests.digest(rows, "record_id").hex();
    BoundTable web = new BoundTable(new TableInput("web", "memory:web", TableFormat.JSON), Contracts.CORPUS, rows,
        Optional.empty(), List.of(), 1, Optional.of(readDigest));
    Dataset<Row> decided = decided(web);
    List<String> columns = EligibilityEngine.corpusColumns(decided);
    assertThat(DecisionDigests.of(decided, List.of(web), RUN, columns).corpus().get("web")).isEqualTo(readDigest);

    Dataset<Row> changed = decided.withColumn("content", lit("other"));
    assertThatThrownBy(() -> DecisionDigests.of(changed, List.of(web), RUN, columns))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("corpus input 'web'")
        .hasMessageContaining("validation pass digested the input as " + readDigest)
        .hasMessageNotContaining("other");
  }

  private static StructType corpusSchema() {
    return new StructType()
        .add("record_id", DataTypes.StringType)
        .add("source_kind", DataTypes.StringType)
        .add("source_ref", DataTypes.StringType)
        .add("content", DataTypes.StringType);
  }

  private static BoundTable corpus(String name, Dataset<Row> rows) {
    return new BoundTable(new TableInput(name, "memory:" + name, TableFormat.PARQUET), Contracts.CORPUS, rows,
        Optional.empty(), List.of(), rows.count(), Optional.empty());
  }

  /** The inputs' rows united as the engine unites them, with web pages eligible and the rest excluded. */
  private static Dataset<Row> decided(BoundTable... inputs) {
    Dataset<Row> union = null;
    for (BoundTable input : inputs) {
      Dataset<Row> named = input.rows().withColumn(Facts.INPUT, lit(input.input().name()));
      union = union == null ? named : union.unionByName(named, true);
    }
    return union
        .withColumn(Facts.REASON, when(col("source_kind").notEqual("PUBLIC_WEB"), lit("LICENSE_NOT_VALID")))
        .withColumn(Facts.REASONS, array_compact(array(col(Facts.REASON))));
  }
}
