package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.listing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad specs and bad inputs stop the run with a clear message and the matching exit code, and
 * leave the output root exactly as it was: here, holding an earlier committed run.
 */
class BadInputTest {

  @TempDir
  static Path shared;

  @TempDir
  Path folder;

  static Path outputRoot;
  static List<String> before;

  SampleWorkspace workspace;

  @BeforeAll
  static void commitAGoodRunFirst() {
    TestSpark.session();
    SampleWorkspace good = SampleWorkspace.create(shared.resolve("good"));
    outputRoot = shared.resolve("out");
    Invocation run = cli("run", "--unsigned", "--spec", good.spec("base-model", outputRoot, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    before = listing(outputRoot);
    assertThat(before).anyMatch(f -> f.startsWith("manifests/sample-base-model.json"));
  }

  @BeforeEach
  void freshCopyOfTheSamples() {
    workspace = SampleWorkspace.create(folder);
  }

  /** Re-runs the committed run id with --replace, from a spec and inputs the test has broken. */
  Invocation run(UnaryOperator<String> specEdit) {
    return cli("run", "--unsigned", "--replace", "--spec", workspace.spec("base-model", outputRoot, specEdit).toString());
  }

  void assertFails(Invocation invocation, int exitCode, String message) {
    assertThat(invocation.exitCode()).as(invocation.err()).isEqualTo(exitCode);
    assertThat(invocation.err()).contains(message);
    assertThat(listing(outputRoot)).as("output root after a failed run").isEqualTo(before);
  }

  @Test
  void aMissingRequiredColumnIsAnInputError() {
    Path file = workspace.file("reference/api_requests.jsonl");
    writeLines(file, List.of(
        "{\"request_id\": \"req-001\", \"org_id\": \"org-alpha\", \"channel\": \"API\", \"endpoint\": \"/v1/chat/completions\","
            + " \"submitted_at\": \"2024-05-10T12:00:00Z\"}"));
    assertFails(run(s -> s), 3,
        "Table api_requests has no column 'zdr' (expected type boolean). Add the column; the data contract requires it.");
  }

  @Test
  void anUnparseableTimestampNamesTableColumnTypeAndARowId() {
    workspace.editLines("reference/api_requests.jsonl", "\"req-004\"",
        "{\"request_id\": \"req-004\", \"org_id\": \"org-silent\", \"channel\": \"API\", \"endpoint\": \"/v1/chat/completions\","
            + " \"submitted_at\": \"2024-13-45T10:00:00Z\", \"zdr\": false}");
    assertFails(run(s -> s), 3,
        "Table api_requests, column 'submitted_at': 1 value(s) cannot be read as timestamp; for example the row with"
            + " request_id = 'req-004'.");
  }

  @Test
  void anUnparseableBooleanIsAnInputError() {
    workspace.editLines("reference/licenses.csv", "lic-news", "lic-news,yes,2024-01-01T00:00:00Z,");
    assertFails(run(s -> s), 3,
        "Table licenses, column 'permits_training': 1 value(s) cannot be read as boolean; for example the row with"
            + " license_id = 'lic-news'.");
  }

  @Test
  void aWrongTypeInAParquetInputIsAnInputError() {
    Path parquet = folder.resolve("consent-parquet");
    TestSpark.session().read().json(workspace.file("reference/consent_events.jsonl").toString())
        .withColumn("recorded_at", functions.col("recorded_at").cast("timestamp"))
        .write().parquet(parquet.toString());
    assertFails(run(s -> s.replace("consent_events:    {path: ../reference/consent_events.jsonl, format: json}",
            "consent_events:    {path: " + parquet + ", format: parquet}")), 3,
        "Table consent_events, column 'effective_at': expected type timestamp, found string.");
  }

  @Test
  void aConsentEventWithoutOrganizationStopsTheRun() {
    workspace.editLines("reference/consent_events.jsonl", "\"ev-002\"",
        "{\"event_id\": \"ev-002\", \"org_id\": null, \"project_id\": null, \"decision\": \"OPT_OUT\","
            + " \"effective_at\": \"2023-05-01T00:00:00Z\", \"recorded_at\": \"2023-05-01T00:00:00Z\"}");
    assertFails(run(s -> s), 3,
        "Table consent_events, column 'org_id': 1 row(s) have no value; for example the row with event_id = 'ev-002'."
            + " An opt-out that names no organization cannot be honoured; fix the row upstream.");
  }

  @Test
  void aZdrAgreementWithoutOrganizationStopsTheRun() {
    workspace.editLines("reference/zdr_agreements.jsonl", "org-private",
        "{\"org_id\": null, \"endpoint\": null, \"effective_from\": null, \"effective_to\": null}");
    assertFails(run(s -> s), 3,
        "Table zdr_agreements, column 'org_id': 1 row(s) have no value; for example the row with org_id = '<null>'."
            + " A zero-data-retention agreement that names no organization cannot be applied; fix the row upstream.");
  }

  @Test
  void aLineThatIsNotJsonIsAnInputError() {
    workspace.editLines("corpus/web.jsonl", "web-002", "{\"record_id\": \"web-002\", this is not json");
    Invocation invocation = run(s -> s);
    assertFails(invocation, 3, "Table corpus 'web': 1 line(s) are not valid records of the format; the first is line 2"
        + " of file:");
    assertThat(invocation.err()).contains("web.jsonl (not valid JSON (at character ").doesNotContain("this is not json");
  }

  @Test
  void aJsonNumberInAStringColumnIsAnInputErrorNamingTheLine() {
    workspace.editLines("reference/api_requests.jsonl", "\"req-002\"",
        "{\"request_id\": \"req-002\", \"org_id\": 12345, \"project_id\": null, \"channel\": \"API\","
            + " \"endpoint\": \"/v1/completions\", \"model_id\": \"text-davinci-003\","
            + " \"submitted_at\": \"2022-11-15T08:30:00Z\", \"zdr\": false}");
    assertFails(run(s -> s), 3, "Table api_requests, column 'org_id': 1 value(s) are a JSON number where the data contract"
        + " expects a JSON string; the first is on line 2 of file:");
    assertThat(run(s -> s).err()).contains("api_requests.jsonl (the row with request_id = 'req-002'). Write the value as a JSON string.");
  }

  @Test
  void aJsonStringInABooleanColumnAndANumberInATimestampColumnAreInputErrors() {
    workspace.editLines("reference/api_requests.jsonl", "\"req-001\"",
        "{\"request_id\": \"req-001\", \"org_id\": \"org-alpha\", \"channel\": \"API\", \"endpoint\": \"/v1/chat/completions\","
            + " \"submitted_at\": \"2024-05-10T12:00:00Z\", \"zdr\": \"false\"}");
    assertFails(run(s -> s), 3, "Table api_requests, column 'zdr': 1 value(s) are a JSON string where the data contract"
        + " expects JSON true or false; the first is on line 1 of file:");

    workspace.editLines("reference/api_requests.jsonl", "\"req-001\"",
        "{\"request_id\": \"req-001\", \"org_id\": \"org-alpha\", \"channel\": \"API\", \"endpoint\": \"/v1/chat/completions\","
            + " \"submitted_at\": 1715342400, \"zdr\": false}");
    assertFails(run(s -> s), 3, "Table api_requests, column 'submitted_at': 1 value(s) are a JSON number where the data"
        + " contract expects a JSON string holding an ISO-8601 instant; the first is on line 1 of file:");
  }

  @Test
  void aPayloadOfTheWrongTypeIsRefusedWithoutQuotingIt() {
    workspace.editLines("corpus/web.jsonl", "web-002",
        "{\"record_id\": \"web-002\", \"source_kind\": \"PUBLIC_WEB\", \"content\": [\"CANARY-PAYLOAD\", 31337]}");
    Invocation invocation = run(s -> s);
    assertFails(invocation, 3, "Table corpus 'web', column 'content': 1 value(s) are a JSON array where the data contract"
        + " expects a JSON string; the first is on line 2 of file:");
    assertThat(invocation.err() + invocation.out()).doesNotContain("CANARY-PAYLOAD").doesNotContain("31337");
  }

  @Test
  void aLineThatIsNotUtf8IsMalformedNamingTheLine() throws Exception {
    Path file = workspace.file("corpus/web.jsonl");
    List<String> lines = java.nio.file.Files.readAllLines(file);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      bytes.write((i == 2 ? lines.get(i).replace("\"en\"", "\"e\u00ffn\"") : lines.get(i)).getBytes(
          i == 2 ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8));
      bytes.write('\n');
    }
    java.nio.file.Files.write(file, bytes.toByteArray());
    assertFails(run(s -> s), 3, "Table corpus 'web': 1 line(s) are not valid records of the format; the first is line 3"
        + " of file:");
    assertThat(run(s -> s).err()).contains("web.jsonl (not valid UTF-8).");
  }

  @Test
  void aCsvRowWithAnExtraFieldIsMalformedNamingTheLine() {
    workspace.editLines("reference/licenses.csv", "lic-expired", "lic-expired,true,2023-01-01T00:00:00Z,2024-01-01T00:00:00Z,extra");
    assertFails(run(s -> s), 3, "Table licenses: 1 line(s) are not valid records of the format; the first is line 3 of file:");
    assertThat(run(s -> s).err()).contains("licenses.csv (5 fields where the header has 4).");
  }

  @Test
  void aCorpusColumnNamedRunIdIsRejected() {
    workspace.editLines("corpus/web.jsonl", "web-001",
        "{\"record_id\": \"web-001\", \"source_kind\": \"PUBLIC_WEB\", \"run_id\": \"x\"}");
    assertFails(run(s -> s), 3,
        "Table corpus 'web' has a column named 'run_id', which the eligible table adds itself; rename the column upstream.");
  }

  @Test
  void aMissingInputPathIsAnInputError() {
    Invocation invocation = run(s -> s.replace("../reference/fine_tuned_models.jsonl", "../reference/nowhere.jsonl"));
    assertFails(invocation, 3, "Cannot read table fine_tuned_models at ");
    assertThat(invocation.err()).contains("PATH_NOT_FOUND");
  }

  @Test
  void specErrorsStopBeforeReadingAnything() {
    assertFails(run(s -> s + "colour: blue\n"), 2, "key 'colour' is not known.");
    assertFails(run(s -> s.replace("run_id: sample-base-model", "run_id: 'bad id'")), 2,
        "key 'run_id' has value 'bad id'; expected 1 to 128 characters from A-Z a-z 0-9 . _ -.");
    assertFails(run(s -> s.replace("as_of: 2026-11-01T00:00:00Z", "as_of: 2999-01-01T00:00:00Z")), 2,
        "key 'as_of' is 2999-01-01T00:00:00Z, which lies in the future");
    assertFails(run(s -> s.replace("purpose: BASE_MODEL", "purpose: FINE_TUNE")), 2,
        "a FINE_TUNE run needs key 'fine_tune_org_id' naming the organization it is for.");
  }

  private static void writeLines(Path file, List<String> lines) {
    try {
      java.nio.file.Files.write(file, lines);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
