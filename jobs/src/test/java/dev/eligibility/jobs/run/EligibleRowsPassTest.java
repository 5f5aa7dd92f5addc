package dev.eligibility.jobs.run;

import dev.eligibility.jobs.decision.Decision;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.evidence.LeafFiles;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The digests the eligible pass sums while it produces the rows equal those computed from the
 * tables themselves (each corpus input's from its own typed rows, the eligible rows' from the
 * table written), and a pass that saw other rows than its decision yields no digest.
 */
class EligibleRowsPassTest {

  static final String RUN = "run-1";
  static final RunContext BASE_MODEL = new RunContext(Purpose.BASE_MODEL, Optional.empty(),
      Instant.parse("2026-11-01T00:00:00Z"), PolicyFile.bundled());

  @TempDir
  Path dir;

  @Test
  void digestsSummedWhileWritingEqualTheDigestsOfTheInputsAndOfTheTableWritten() {
    SparkSession spark = TestSpark.session();
    World world = World.empty()
        .with(Candidate.of("web-1", "PUBLIC_WEB", "https://example.org/1").in("web"))
        .with(Candidate.of("web-2", "PUBLIC_WEB", "https://example.org/2").in("web"))
        .with(Candidate.of("web-3", "LICENSED", "lic-x").in("web"))
        .with(Candidate.of("api-1", "API", "req-unknown").in("api"))
        .with(Candidate.of("", "PUBLIC_WEB", "https://example.org/no-id").in("api"))
        .with(Candidate.of("file-1", "FINE_TUNE_FILE", "file-unknown").in("files"));
    InputTables inputs = world.inputs(spark);

    try (Decision decision = Decision.of(inputs, BASE_MODEL, RUN)) {
      LeafFiles.Folder leaves = LeafFiles.Folder.of(spark, dir.resolve("leaves").toString());
      EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), decision.eligibleIds(), RUN,
          DigestAlgorithm.CURRENT, Optional.of(leaves));
      String table = dir.resolve("eligible").toString();
      pass.rows().write().format("delta").save(table);
      EligibleRowsPass.Digests digests = pass.digests(decision.tally().counts().eligible());

      Dataset<Row> written = spark.read().format("delta").load(table);
      assertThat(written.count()).isEqualTo(2);
      assertThat(digests.eligible()).isEqualTo(RowDigests.digest(written, "record_id").hex());
      // The Merkle leaves kept by the writing tasks are the written rows' ids and row digests.
      Dataset<Row> expectedLeaves = spark.createDataFrame(
          written.select(col("record_id"), RowDigests.rowDigest(written, "record_id")).javaRDD(), LeafFiles.SCHEMA);
      TestSpark.assertSameRows(expectedLeaves, LeafFiles.read(spark, leaves, digests.leafFiles()));
      assertThat(digests.leafFiles().stream().mapToLong(LeafFiles.Written::leaves).sum()).isEqualTo(2);
      leaves.delete();
      assertThat(dir.resolve("leaves")).doesNotExist();
      for (BoundTable input : inputs.corpus()) {
        assertThat(digests.corpus().get(input.input().name())).as(input.input().name())
            .isEqualTo(RowDigests.digest(input.rows(), "record_id").hex());
      }
      assertThat(decision.exclusionsDigest()).isEqualTo(RowDigests.digest(decision.exclusionRows(), "record_id").hex());
    }
  }

  @Test
  void theRowsWrittenAreTheEligibleCorpusRowsWithTheRunId() {
    SparkSession spark = TestSpark.session();
    BoundTable web = corpus("web", spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one"),
        RowFactory.create("w-2", "CONSUMER_APP", "app", "two"),
        RowFactory.create(null, "PUBLIC_WEB", "https://example.org/3", "three")), corpusSchema()));
    InputTables inputs = World.empty().inputs(spark).withCorpus(List.of(web));

    try (Decision decision = Decision.of(inputs, BASE_MODEL, RUN)) {
      EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), decision.eligibleIds(), RUN);
      Dataset<Row> expected = spark.createDataFrame(List.of(
              RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one", RUN)),
          corpusSchema().add("run_id", DataTypes.StringType));
      TestSpark.assertSameRows(expected, nullable(pass.rows()));
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
    InputTables inputs = World.empty().inputs(spark).withCorpus(List.of(web, books));

    try (Decision decision = Decision.of(inputs, BASE_MODEL, RUN)) {
      EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), decision.eligibleIds(), RUN);
      assertThat(pass.rows().schema().apply("pages").dataType()).isEqualTo(DataTypes.LongType);
      assertThat(pass.rows().schema().apply("score").dataType()).isEqualTo(DataTypes.DoubleType);
      String table = dir.resolve("eligible").toString();
      pass.rows().write().format("delta").save(table);
      EligibleRowsPass.Digests digests = pass.digests(decision.tally().counts().eligible());

      assertThat(digests.corpus().get("web")).isEqualTo(RowDigests.digest(web.rows(), "record_id").hex());
      assertThat(digests.corpus().get("books")).isEqualTo(RowDigests.digest(books.rows(), "record_id").hex());
      assertThat(digests.eligible())
          .isEqualTo(RowDigests.digest(spark.read().format("delta").load(table), "record_id").hex());
    }
  }

  @Test
  void anInputWithNoRowsHasTheDigestOfTheEmptySet() {
    SparkSession spark = TestSpark.session();
    BoundTable web = corpus("web", spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "text")), corpusSchema()));
    BoundTable empty = corpus("empty", spark.createDataFrame(List.<Row>of(), corpusSchema()));
    InputTables inputs = World.empty().inputs(spark).withCorpus(List.of(web, empty));

    try (Decision decision = Decision.of(inputs, BASE_MODEL, RUN)) {
      EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), decision.eligibleIds(), RUN);
      pass.consumeWithoutWriting();
      EligibleRowsPass.Digests digests = pass.digests(1);
      assertThat(digests.corpus().get("empty")).isEqualTo(DigestAlgorithm.CURRENT.empty().hex());
      assertThat(digests.corpus().get("web")).isEqualTo(RowDigests.digest(web.rows(), "record_id").hex());
    }
  }

  @Test
  void aPassThatSawOtherRowsThanTheDecisionYieldsNoDigest() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> rows = spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one"),
        RowFactory.create("w-2", "PUBLIC_WEB", "https://example.org/2", "two")), corpusSchema());
    BoundTable web = corpus("web", rows);
    Dataset<Row> ids = rows.select(col("record_id"));

    EligibleRowsPass once = EligibleRowsPass.of(spark, List.of(web), ids, RUN);
    once.consumeWithoutWriting();
    assertThatThrownBy(() -> once.digests(3))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("it produced 2 eligible rows, the decision 3");

    EligibleRowsPass twice = EligibleRowsPass.of(spark, List.of(web), ids, RUN);
    twice.consumeWithoutWriting();
    twice.consumeWithoutWriting();
    assertThatThrownBy(() -> twice.digests(2))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("it saw 4 rows of corpus input 'web', the validation read 2");

    BoundTable miscounted = new BoundTable(web.input(), Contracts.CORPUS, rows, Optional.empty(), List.of(), 3,
        Optional.empty());
    EligibleRowsPass lost = EligibleRowsPass.of(spark, List.of(miscounted), ids, RUN);
    lost.consumeWithoutWriting();
    assertThatThrownBy(() -> lost.digests(2)).hasMessageContaining("it saw 2 rows of corpus input 'web'");
  }

  @Test
  void aCorpusRowThatDiffersFromTheRowValidatedIsRefusedWithoutQuotingIt() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> validated = spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "one")), corpusSchema());
    String readDigest = RowDigests.digest(validated, "record_id").hex();
    Dataset<Row> changed = spark.createDataFrame(List.of(
        RowFactory.create("w-1", "PUBLIC_WEB", "https://example.org/1", "payload-canary-7")), corpusSchema());
    BoundTable web = new BoundTable(new TableInput("web", "memory:web", TableFormat.JSON), Contracts.CORPUS, changed,
        Optional.empty(), List.of(), 1, Optional.of(readDigest));

    EligibleRowsPass pass = EligibleRowsPass.of(spark, List.of(web), changed.select(col("record_id")), RUN);
    pass.consumeWithoutWriting();
    assertThatThrownBy(() -> pass.digests(1))
        .isInstanceOf(EligibilityException.class)
        .hasMessageContaining("corpus input 'web'")
        .hasMessageContaining("the validation pass digested it as " + readDigest)
        .hasMessageNotContaining("payload-canary-7");
  }

  private static StructType corpusSchema() {
    return new StructType()
        .add("record_id", DataTypes.StringType)
        .add("source_kind", DataTypes.StringType)
        .add("source_ref", DataTypes.StringType)
        .add("content", DataTypes.StringType);
  }

  /** The frame with every column nullable, as rows made by createDataFrame are. */
  private static Dataset<Row> nullable(Dataset<Row> rows) {
    StructType schema = new StructType();
    for (var field : rows.schema().fields()) {
      schema = schema.add(field.name(), field.dataType(), true);
    }
    return rows.sparkSession().createDataFrame(rows.collectAsList(), schema);
  }

  private static BoundTable corpus(String name, Dataset<Row> rows) {
    return new BoundTable(new TableInput(name, "memory:" + name, TableFormat.PARQUET), Contracts.CORPUS, rows,
        Optional.empty(), List.of(), rows.count(), Optional.empty());
  }
}
