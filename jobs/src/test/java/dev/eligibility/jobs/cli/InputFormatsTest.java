package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same sample data stored as Delta, Parquet (with timestamp_ntz columns) and CSV decides
 * exactly as the JSON Lines original, and Delta inputs are read at a pinned, recorded version.
 */
class InputFormatsTest {

  @TempDir
  Path folder;

  @Test
  void deltaParquetAndCsvCopiesOfTheSamplesDecideExactlyLikeJsonLines() throws Exception {
    SparkSession spark = TestSpark.session();
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path data = folder.resolve("tables");
    Map<String, String> timestamps = Map.of(
        "api_requests", "submitted_at",
        "consent_events", "effective_at,recorded_at",
        "fine_tune_files", "uploaded_at,deleted_at",
        "fine_tuned_models", "created_at,deleted_at",
        "zdr_agreements", "effective_from,effective_to");
    for (var table : timestamps.entrySet()) {
      Dataset<Row> rows = spark.read().json(workspace.file("reference/" + table.getKey() + ".jsonl").toString());
      for (String column : table.getValue().split(",")) {
        rows = rows.withColumn(column, functions.col(column).cast("timestamp"));
      }
      if (table.getKey().equals("api_requests")) {
        rows = rows.withColumn("project_id", functions.col("project_id").cast("string"));
      }
      if (table.getKey().equals("consent_events")) {
        rows = rows.withColumn("project_id", functions.col("project_id").cast("string"));
        // Parquet written with timestamp_ntz must read as UTC instants.
        rows.withColumn("effective_at", functions.col("effective_at").cast("timestamp_ntz"))
            .write().parquet(data.resolve(table.getKey()).toString());
      } else {
        rows.write().format("delta").save(data.resolve(table.getKey()).toString());
      }
    }
    // Two more Delta commits (adding, then deleting a row), so the run must read the latest version, 2, and say so.
    Dataset<Row> requests = spark.read().format("delta").load(data.resolve("api_requests").toString());
    requests.limit(1).withColumn("request_id", functions.lit("req-deleted-later"))
        .write().format("delta").mode("append").save(data.resolve("api_requests").toString());
    io.delta.tables.DeltaTable.forPath(spark, data.resolve("api_requests").toString())
        .delete("request_id = 'req-deleted-later'");
    spark.read().json(workspace.file("corpus/api.jsonl").toString())
        .write().format("delta").save(data.resolve("corpus_api").toString());
    spark.read().json(workspace.file("corpus/web.jsonl").toString())
        .write().option("header", "true").csv(data.resolve("corpus_web").toString());

    Path jsonRoot = folder.resolve("out-json");
    Path otherRoot = folder.resolve("out-formats");
    Invocation json = cli("run", "--unsigned", "--spec", workspace.spec("base-model", jsonRoot, s -> s).toString());
    assertThat(json.exitCode()).as(json.err()).isZero();
    Invocation formats = cli("run", "--unsigned", "--spec", workspace.spec("base-model", otherRoot, s -> s
        .replace("{name: web, path: ../corpus/web.jsonl, format: json}", "{name: web, path: " + data.resolve("corpus_web") + ", format: csv}")
        .replace("{name: api, path: ../corpus/api.jsonl, format: json}", "{name: api, path: " + data.resolve("corpus_api") + ", format: delta}")
        .replace("{path: ../reference/api_requests.jsonl, format: json}", "{path: " + data.resolve("api_requests") + ", format: delta}")
        .replace("{path: ../reference/consent_events.jsonl, format: json}", "{path: " + data.resolve("consent_events") + ", format: parquet}")
        .replace("{path: ../reference/fine_tune_files.jsonl, format: json}", "{path: " + data.resolve("fine_tune_files") + ", format: delta}")
        .replace("{path: ../reference/fine_tuned_models.jsonl, format: json}", "{path: " + data.resolve("fine_tuned_models") + ", format: delta}")
        .replace("{path: ../reference/zdr_agreements.jsonl, format: json}", "{path: " + data.resolve("zdr_agreements") + ", format: delta}"))
        .toString());
    assertThat(formats.exitCode()).as(formats.err()).isZero();

    RunRecord fromJson = store(jsonRoot).read("sample-base-model", java.util.List.of()).record();
    RunRecord fromFormats = store(otherRoot).read("sample-base-model", java.util.List.of()).record();
    assertThat(fromFormats.counts()).isEqualTo(fromJson.counts());
    assertThat(fromFormats.upstreamWarnings()).isEqualTo(fromJson.upstreamWarnings());
    assertThat(fromFormats.inputs()).filteredOn(i -> i.table().equals("api_requests"))
        .extracting(InputSnapshot::format, InputSnapshot::deltaVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("delta", 2L));
    assertThat(fromFormats.inputs()).filteredOn(i -> i.name().equals("web"))
        .extracting(InputSnapshot::format).containsExactly("csv");
    // Input digests are over the rows as bound to the contract, so the same rows in another
    // format digest the same (reference tables hold only contract columns).
    for (String table : List.of("api_requests", "fine_tune_files", "fine_tuned_models", "zdr_agreements", "consent_events")) {
      assertThat(digestOf(fromFormats, table)).as(table).isEqualTo(digestOf(fromJson, table));
    }
    assertThat(digestOf(fromJson, "api_requests")).isNotEqualTo(digestOf(fromJson, "consent_events"));

    String[] decision = {"record_id", "source_kind", "source_ref", "reason", "reasons", "corpus_input", "organization_id",
        "project_id"};
    TestSpark.assertSameRows(
        spark.read().format("delta").load(jsonRoot.resolve("exclusions").toString()).selectExpr(decision),
        spark.read().format("delta").load(otherRoot.resolve("exclusions").toString()).selectExpr(decision));
  }

  private static String digestOf(RunRecord record, String table) {
    return record.inputs().stream().filter(i -> i.name().equals(table)).findFirst().orElseThrow().datasetDigest();
  }

  private static RunRecordStore store(Path root) {
    return new RunRecordStore(new OutputLayout(root.toString()), TestSpark.session().sparkContext().hadoopConfiguration());
  }
}
