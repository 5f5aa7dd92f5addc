package dev.eligibility.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A generated world for benchmarks, written as Delta tables: a corpus of {@code rows} rows (60%
 * API rows, each with its own request, 20% public web, 10% licensed, 10% fine-tune files) with
 * ~520-byte payloads, over 1,000 organizations with opt-ins and opt-outs, ZDR traffic,
 * non-retained endpoints and fine-tuned models mixed in, so every kind of rule does work.
 * Deterministic: the same {@code rows} give the same tables.
 */
public record BenchmarkData(Path root) {

  static final int ORGANIZATIONS = 1_000;
  static final int FILES = 10_000;
  static final int LICENSES = 100;
  /** The folders of the tables, corpus first. */
  static final List<String> TABLES = List.of("corpus", "api_requests", "consent_events", "fine_tune_files",
      "fine_tuned_models", "zdr_agreements", "licenses");
  /** The instant every benchmark run decides at. */
  static final java.time.Instant AS_OF = java.time.Instant.parse("2026-11-01T00:00:00Z");

  TableInput corpus() {
    return input("bulk", "corpus");
  }

  List<TableInput> references() {
    return List.of(input("api_requests", "api_requests"), input("consent_events", "consent_events"),
        input("fine_tune_files", "fine_tune_files"), input("fine_tuned_models", "fine_tuned_models"),
        input("zdr_agreements", "zdr_agreements"), input("licenses", "licenses"));
  }

  private TableInput input(String name, String folder) {
    return new TableInput(name, root.resolve(folder).toString(), TableFormat.DELTA);
  }

  /** Whether every table is there (the licences are written last). */
  boolean exists() {
    return java.nio.file.Files.exists(root.resolve("licenses/_delta_log"));
  }

  /** A run spec over these tables whose output root is {@code outputRoot}. */
  String spec(Path outputRoot) {
    return spec("bench", AS_OF, outputRoot);
  }

  /** The same with run id {@code runId} deciding at {@code asOf}. */
  String spec(String runId, java.time.Instant asOf, Path outputRoot) {
    StringBuilder spec = new StringBuilder("run_id: " + runId + "\npurpose: BASE_MODEL\nas_of: " + asOf + "\ninputs:\n");
    spec.append("  corpus:\n    - {name: bulk, path: '").append(root.resolve("corpus")).append("', format: delta}\n");
    for (TableInput input : references()) {
      spec.append("  ").append(input.name()).append(": {path: '").append(input.path()).append("', format: delta}\n");
    }
    return spec.append("output: {root: '").append(outputRoot).append("'}\n").toString();
  }

  /** Writes every table under {@link #root}. */
  void generate(SparkSession spark, long rows) {
    Dataset<Row> ids = spark.range(rows).toDF("n");
    Column n = col("n");
    Column kind = n.mod(10);
    Column sourceKind = when(kind.lt(6), lit("API"))
        .when(kind.lt(8), lit("PUBLIC_WEB"))
        .when(kind.equalTo(8), lit("LICENSED"))
        .otherwise(lit("FINE_TUNE_FILE"));
    Column sourceRef = when(kind.lt(6), concat(lit("req-"), n.cast("string")))
        .when(kind.lt(8), concat(lit("https://example.org/page/"), n.cast("string")))
        .when(kind.equalTo(8), concat(lit("lic-"), n.mod(LICENSES).cast("string")))
        .otherwise(concat(lit("file-"), n.mod(FILES).cast("string")));
    Column[] hashes = new Column[8];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = sha2(n.plus(i).cast("string"), 256);
    }
    Column content = concat_ws(" ", hashes);
    write(ids.select(concat(lit("rec-"), n.cast("string")).as("record_id"), sourceKind.as("source_kind"),
        sourceRef.as("source_ref"), content.as("content")), "corpus");

    Dataset<Row> requests = ids.filter(kind.lt(6)).select(
        concat(lit("req-"), n.cast("string")).as("request_id"),
        concat(lit("org-"), n.mod(ORGANIZATIONS).cast("string")).as("org_id"),
        when(n.mod(3).equalTo(0), concat(lit("proj-"), n.mod(7).cast("string"))).as("project_id"),
        when(n.mod(97).equalTo(0), lit("PLAYGROUND")).otherwise(lit("API")).as("channel"),
        when(n.mod(101).equalTo(0), lit("/v1/audio/transcriptions"))
            .when(n.mod(2).equalTo(0), lit("/v1/chat/completions"))
            .otherwise(lit("/v1/completions")).as("endpoint"),
        when(n.mod(89).equalTo(0), concat(lit("ft:gpt-4o-mini:org-"), n.mod(ORGANIZATIONS).cast("string"), lit(":x")))
            .otherwise(lit("gpt-4o")).as("model_id"),
        expr("timestamp_seconds(1640995200 + pmod(n * 7919, 126230400))").as("submitted_at"),
        n.mod(50).equalTo(0).as("zdr"));
    write(requests, "api_requests");

    Dataset<Row> events = spark.range(2L * ORGANIZATIONS).toDF("n").select(
        concat(lit("ev-"), n.cast("string")).as("event_id"),
        concat(lit("org-"), n.mod(ORGANIZATIONS).cast("string")).as("org_id"),
        when(n.mod(5).equalTo(0), concat(lit("proj-"), n.mod(7).cast("string"))).as("project_id"),
        when(n.lt(ORGANIZATIONS), lit("OPT_IN")).otherwise(lit("OPT_OUT")).as("decision"),
        expr("timestamp_seconds(1672531200 + pmod(n * 104729, 94608000))").as("effective_at"),
        expr("timestamp_seconds(1672531200 + pmod(n * 104729, 94608000))").as("recorded_at"));
    write(events, "consent_events");

    write(spark.range(FILES).toDF("n").select(
        concat(lit("file-"), n.cast("string")).as("file_id"),
        concat(lit("org-"), n.mod(ORGANIZATIONS).cast("string")).as("org_id"),
        expr("timestamp_seconds(1704067200 + n * 60)").as("uploaded_at"),
        expr("CASE WHEN n % 13 = 0 THEN timestamp_seconds(1735689600) END").as("deleted_at")), "fine_tune_files");
    write(spark.range(100).toDF("n").select(
        concat(lit("ft:gpt-4o-mini:org-"), n.cast("string"), lit(":x")).as("model_id"),
        concat(lit("org-"), n.cast("string")).as("org_id"),
        expr("timestamp_seconds(1704067200)").as("created_at"),
        expr("CAST(NULL AS TIMESTAMP)").as("deleted_at")), "fine_tuned_models");
    write(spark.range(20).toDF("n").select(
        concat(lit("org-"), n.multiply(37).cast("string")).as("org_id"),
        when(n.mod(2).equalTo(0), lit("/v1/chat/completions")).as("endpoint"),
        expr("timestamp_seconds(1672531200)").as("effective_from"),
        expr("CAST(NULL AS TIMESTAMP)").as("effective_to")), "zdr_agreements");
    write(spark.range(LICENSES).toDF("n").select(
        concat(lit("lic-"), n.cast("string")).as("license_id"),
        n.mod(4).notEqual(0).as("permits_training"),
        expr("timestamp_seconds(1640995200)").as("valid_from"),
        expr("CASE WHEN n % 10 = 0 THEN timestamp_seconds(1704067200) END").as("valid_to")), "licenses");
  }

  private void write(Dataset<Row> rows, String folder) {
    rows.write().format("delta").mode("overwrite").save(root.resolve(folder).toString());
  }
}
