package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta inputs read at a pinned snapshot: {@code version:} and {@code timestamp:} in the spec, and
 * {@code --scheduled-for T}, which pins every Delta input to its version current at T, so that a
 * past night re-run after its inputs changed (a corpus row added, an organization opting out)
 * decides and digests exactly as it did.
 */
class PinnedInputsTest {

  @TempDir
  Path folder;

  SparkSession spark;
  SampleWorkspace workspace;
  Path corpusApi;
  Path consentEvents;

  @BeforeEach
  void deltaInputs() {
    spark = TestSpark.session();
    workspace = SampleWorkspace.create(folder.resolve("samples"));
    corpusApi = folder.resolve("tables/corpus_api");
    consentEvents = folder.resolve("tables/consent_events");
    spark.read().json(workspace.file("corpus/api.jsonl").toString())
        .write().format("delta").save(corpusApi.toString());
    spark.read().json(workspace.file("reference/consent_events.jsonl").toString())
        .withColumn("project_id", functions.col("project_id").cast("string"))
        .withColumn("effective_at", functions.col("effective_at").cast("timestamp"))
        .withColumn("recorded_at", functions.col("recorded_at").cast("timestamp"))
        .write().format("delta").save(consentEvents.toString());
  }

  /** The base-model sample with the API corpus and the consent events from Delta, {@code pins} added. */
  Path spec(Path output, String corpusPin, String consentPin, boolean keepAsOf) {
    UnaryOperator<String> edit = s -> {
      String text = s
          .replace("{name: api, path: ../corpus/api.jsonl, format: json}",
              "{name: api, path: " + corpusApi + ", format: delta" + corpusPin + "}")
          .replace("{path: ../reference/consent_events.jsonl, format: json}",
              "{path: " + consentEvents + ", format: delta" + consentPin + "}");
      return keepAsOf ? text : text.replace("as_of: 2026-11-01T00:00:00Z\n", "");
    };
    return workspace.spec("base-model", output, edit);
  }

  /** After the night: a new corpus row and an opt-out of the organization whose rows were eligible. */
  void changeInputsAfterTheNight() {
    Dataset<Row> api = spark.read().format("delta").load(corpusApi.toString());
    api.limit(1).withColumn("record_id", functions.lit("api-added-later"))
        .write().format("delta").mode("append").save(corpusApi.toString());
    Dataset<Row> events = spark.read().format("delta").load(consentEvents.toString());
    events.limit(1)
        .withColumn("event_id", functions.lit("evt-later"))
        .withColumn("org_id", functions.lit("org-alpha"))
        .withColumn("project_id", functions.lit(null).cast("string"))
        .withColumn("decision", functions.lit("OPT_OUT"))
        .withColumn("effective_at", functions.lit(java.sql.Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"))))
        .withColumn("recorded_at", functions.lit(java.sql.Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"))))
        .write().format("delta").mode("append").save(consentEvents.toString());
  }

  @Test
  void aPastNightReRunAfterItsInputsChangedReproducesItsDigests() throws Exception {
    Thread.sleep(1100); // the night falls strictly after the tables' first commits
    Instant night = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Thread.sleep(1100); // and strictly before the changes below
    Path first = folder.resolve("out-night");
    Invocation original = cli("run", "--unsigned", "--scheduled-for", night.toString(),
        "--spec", spec(first, "", "", false).toString());
    assertThat(original.exitCode()).as(original.err()).isZero();

    changeInputsAfterTheNight();
    assertThat(TableReader.latestVersion(spark, corpusApi.toString())).as("the corpus changed").isEqualTo(1L);
    assertThat(TableReader.latestVersion(spark, consentEvents.toString())).as("consent changed").isEqualTo(1L);

    // Re-run of the night: --scheduled-for pins both tables to their versions current at the night.
    Path again = folder.resolve("out-rerun");
    Invocation rerun = cli("run", "--unsigned", "--scheduled-for", night.toString(),
        "--spec", spec(again, "", "", false).toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    // The same snapshots named in the spec: a version for one, a timestamp for the other.
    Path explicit = folder.resolve("out-explicit");
    Invocation pinned = cli("run", "--unsigned", "--scheduled-for", night.toString(),
        "--spec", spec(explicit, ", version: 0", ", timestamp: " + night, false).toString());
    assertThat(pinned.exitCode()).as(pinned.err()).isZero();

    String runId = "sample-base-model-" + LocalDate.ofInstant(night, ZoneOffset.UTC);
    RunRecord before = record(first, runId);
    assertThat(versionOf(before, "api")).isZero();
    assertThat(versionOf(before, "consent_events")).isZero();
    for (Path root : List.of(again, explicit)) {
      RunRecord after = record(root, runId);
      assertThat(after.inputs()).as(root.toString()).isEqualTo(before.inputs());
      assertThat(eligible(after)).as(root.toString()).isEqualTo(eligible(before));
      assertThat(exclusions(after).datasetDigest()).as(root.toString()).isEqualTo(exclusions(before).datasetDigest());
      assertThat(after.counts()).as(root.toString()).isEqualTo(before.counts());
      assertThat(after.eligibleRowsByOrganization()).as(root.toString()).isEqualTo(before.eligibleRowsByOrganization());
    }
  }

  @Test
  void aPinTheTableCannotMeetStopsTheRunBeforeAnythingIsWritten() {
    Path output = folder.resolve("out-missing");
    Invocation missing = cli("run", "--unsigned", "--spec", spec(output, ", version: 7", "", true).toString());
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("Table corpus 'api' at " + corpusApi + " has no version 7: its history holds"
        + " versions 0 to 0");
    assertThat(output.resolve(OutputLayout.ELIGIBLE)).doesNotExist();

    Invocation tooEarly = cli("run", "--unsigned", "--spec",
        spec(output, "", ", timestamp: 2001-01-01T00:00:00Z", true).toString());
    assertThat(tooEarly.exitCode()).isEqualTo(3);
    assertThat(tooEarly.err()).contains("Table consent_events at " + consentEvents
        + " has no version current at 2001-01-01T00:00:00Z");
  }

  private static RunRecord record(Path root, String runId) throws Exception {
    return new RunRecordStore(new OutputLayout(root.toString()), new org.apache.hadoop.conf.Configuration())
        .read(runId, List.of()).record();
  }

  private static long versionOf(RunRecord record, String name) {
    return record.inputs().stream().filter(i -> i.name().equals(name)).findFirst().map(InputSnapshot::deltaVersion)
        .orElseThrow();
  }

  private static Map<String, Object> eligible(RunRecord record) {
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    return Map.of("rows", eligible.rowCount(), "digest", eligible.datasetDigest(), "merkle", eligible.merkleRoot());
  }

  private static OutputSnapshot exclusions(RunRecord record) {
    return record.output(OutputLayout.EXCLUSIONS).orElseThrow();
  }
}
