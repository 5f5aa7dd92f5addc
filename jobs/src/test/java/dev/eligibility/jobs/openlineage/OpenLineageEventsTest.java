package dev.eligibility.jobs.openlineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.Progress;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.testing.OpenLineageSchemas;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run's OpenLineage events, configured as every OpenLineage client is (an openlineage.yml),
 * through the file and the http transport, each event valid against the official schemas.
 */
class OpenLineageEventsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final OpenLineageSchemas SCHEMAS = OpenLineageSchemas.load();

  @TempDir
  Path folder;

  /** An openlineage.yml, in the client's own format, sending events to a JSON Lines file. */
  Path conf() throws Exception {
    return Files.writeString(folder.resolve("openlineage.yml"),
        "transport:\n  type: file\n  location: " + folder.resolve("events.jsonl").toAbsolutePath() + "\n");
  }

  static void assertValid(List<JsonNode> events) {
    for (JsonNode event : events) {
      assertThat(SCHEMAS.violations(event)).as(event.get("eventType").asText() + " event against the OpenLineage schemas")
          .isEmpty();
    }
  }

  List<JsonNode> events() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(folder.resolve("events.jsonl"))) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }
    return events;
  }

  @Test
  void aCommittedRunEmitsStartAndCompleteWithVersionsCountsAndTheManifestDigest() throws Exception {
    TestSpark.session();
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--openlineage-conf", conf().toString(), "--spec",
        workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    List<JsonNode> events = events();
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
    assertValid(events);
    JsonNode start = events.get(0);
    JsonNode complete = events.get(1);
    assertThat(complete.at("/run/runId").asText()).isEqualTo(start.at("/run/runId").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(complete.at("/job/namespace").asText()).isEqualTo(OpenLineageSettings.DEFAULT_NAMESPACE);
    assertThat(complete.at("/job/name").asText()).isEqualTo("eligibility.base_model");
    assertThat(complete.get("schemaURL").asText()).startsWith("https://openlineage.io/spec/");
    assertThat(complete.get("producer").asText()).startsWith("https://eligibility-filter.dev/jobs/");

    assertThat(complete.get("inputs")).hasSize(9);
    JsonNode web = complete.get("inputs").get(0);
    assertThat(web.get("namespace").asText()).isEqualTo("file");
    assertThat(web.get("name").asText()).isEqualTo(workspace.file("corpus/web.jsonl").toAbsolutePath().toString());
    assertThat(web.at("/facets/version/datasetVersion").asText()).startsWith("eligibility-dataset-v2:");

    assertThat(web.at("/facets/schema/fields/0/name").asText()).isEqualTo("record_id");
    assertThat(web.at("/inputFacets/dataQualityAssertions/assertions/0/assertion").asText())
        .isEqualTo("no_zero_data_retention_rows_eligible");
    assertThat(web.at("/inputFacets/dataQualityAssertions/assertions/0/success").asBoolean()).isTrue();

    JsonNode eligible = complete.get("outputs").get(0);
    assertThat(eligible.at("/facets/schema/fields").findValuesAsText("name"))
        .containsExactly("record_id", "source_kind", "source_ref", "content", "run_id");
    assertThat(eligible.at("/facets/documentation/description").asText()).startsWith("Training-data eligibility filter");
    assertThat(eligible.get("name").asText()).isEqualTo(root.resolve("eligible").toAbsolutePath().toString());
    assertThat(eligible.at("/facets/version/datasetVersion").asText()).isEqualTo("0");
    assertThat(eligible.at("/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(7);
    assertThat(complete.get("outputs").get(1).at("/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(23);

    JsonNode facet = complete.at("/run/facets/eligibility_run");
    String manifestDigest = RunRecordStore.digestOf(Files.readAllBytes(root.resolve("manifests/sample-base-model.json")));
    assertThat(facet.get("manifestDigest").asText()).isEqualTo(manifestDigest);
    assertThat(facet.get("policyId").asText()).isEqualTo("training-data-eligibility/v1");
    assertThat(facet.get("policySha256").asText()).matches("[0-9a-f]{64}");
    assertThat(facet.get("eligible").asLong()).isEqualTo(7);
    assertThat(facet.at("/excludedByReason/NO_OPT_IN").asLong()).isEqualTo(2);
    assertThat(facet.get("_schemaURL").asText()).isEqualTo(EligibilityRunFacet.SCHEMA_URL.toString());
    assertThat(start.at("/run/facets/eligibility_run/manifestDigest").isMissingNode()).isTrue();

    // The facet carries exactly the properties its published schema (lineage/spec) allows.
    JsonNode schema = JSON.readTree(Path.of("..", "lineage", "spec", "EligibilityRunFacet.json").toFile());
    JsonNode properties = schema.at("/$defs/EligibilityRunFacet/allOf/1/properties");
    Set<String> allowed = new TreeSet<>();
    properties.fieldNames().forEachRemaining(allowed::add);
    allowed.addAll(Set.of("_producer", "_schemaURL"));
    Set<String> emitted = new TreeSet<>();
    facet.fieldNames().forEachRemaining(emitted::add);
    assertThat(allowed).containsAll(emitted);
    for (Iterator<JsonNode> required = schema.at("/$defs/EligibilityRunFacet/allOf/1/required").elements(); required.hasNext(); ) {
      assertThat(emitted).contains(required.next().asText());
    }
  }

  @Test
  void aRunThatFailsEmitsStartAndFailWithoutPayloads() throws Exception {
    TestSpark.session();
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path broken = workspace.file("reference/api_requests_no_zdr.jsonl");
    Files.writeString(broken, "{\"request_id\": \"req-x\", \"org_id\": \"org-x\", \"channel\": \"API\", \"endpoint\": \"/v1/x\","
        + " \"submitted_at\": \"2024-01-01T00:00:00Z\"}\n");
    Path spec = workspace.spec("base-model", folder.resolve("out"),
        s -> s.replace("../reference/api_requests.jsonl", "../reference/api_requests_no_zdr.jsonl"));
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--openlineage-conf", conf().toString(), "--spec", spec.toString());
    assertThat(run.exitCode()).isEqualTo(3);

    List<JsonNode> events = events();
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "FAIL");
    assertValid(events);
    JsonNode fail = events.get(1);
    assertThat(fail.at("/run/facets/errorMessage/message").asText()).contains("has no column 'zdr'");
    assertThat(fail.at("/run/facets/errorMessage/programmingLanguage").asText()).isEqualTo("Java");
    String text = Files.readString(folder.resolve("events.jsonl"));
    for (String line : Files.readAllLines(workspace.file("corpus/api.jsonl"))) {
      assertThat(text).doesNotContain(line.replaceAll(".*\"content\": \"([^\"]*)\".*", "$1"));
    }
  }

  @Test
  void aScheduledRunSendsItsNominalTimeAndParentOverHttpInTheNamespaceOfItsEnvironment() throws Exception {
    TestSpark.session();
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer marquez = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    marquez.createContext("/api/v1/lineage", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(201, -1);
      exchange.close();
    });
    marquez.start();
    try {
      Path conf = Files.writeString(folder.resolve("openlineage-http.yml"), "transport:\n  type: http\n  url: http://127.0.0.1:"
          + marquez.getAddress().getPort() + "\n  endpoint: /api/v1/lineage\n");
      UUID parentRun = UUID.randomUUID();
      Instant scheduled = Instant.parse("2026-11-01T00:00:00Z");
      OpenLineageSettings settings = OpenLineageSettings.of(Optional.of(conf), Map.of("OPENLINEAGE_NAMESPACE", "nightly",
          "OPENLINEAGE_PARENT_ID", "airflow/eligibility_nightly_base_model.eligibility_run/" + parentRun));
      SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
      RunSpec spec = new RunSpecParser(Clock.systemUTC()).parse(workspace.spec("base-model", folder.resolve("out"), s -> s));
      new EligibilityRun(TestSpark.session(), Clock.systemUTC(), Progress.SILENT, settings.runEvents(Optional.of(scheduled)))
          .run(spec, false, Optional.empty());
    } finally {
      marquez.stop(0);
    }
    List<JsonNode> events = new ArrayList<>();
    for (String body : received) {
      events.add(JSON.readTree(body));
    }
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
    assertValid(events);
    for (JsonNode event : events) {
      assertThat(event.at("/job/namespace").asText()).isEqualTo("nightly");
      assertThat(event.at("/run/facets/nominalTime/nominalStartTime").asText()).startsWith("2026-11-01T00:00");
      assertThat(event.at("/run/facets/parent/job/name").asText()).isEqualTo("eligibility_nightly_base_model.eligibility_run");
      assertThat(event.at("/run/facets/parent/job/namespace").asText()).isEqualTo("airflow");
    }
  }

  @Test
  void noConfigurationMeansNoEventsAndABadParentIdIsAnError() {
    assertThat(OpenLineageSettings.of(Optional.empty(), Map.of()).runEvents(Optional.empty()))
        .isSameAs(dev.eligibility.jobs.run.RunEvents.NONE);
    assertThatThrownBy(() -> OpenLineageSettings.of(Optional.empty(), Map.of("OPENLINEAGE_PARENT_ID", "not-a-parent")))
        .hasMessage("environment: key 'OPENLINEAGE_PARENT_ID' has value 'not-a-parent'; expected NAMESPACE/JOB/RUN_UUID.");
  }

  @Test
  void anOpenLineageBlockOfTheOldLineageYamlIsRefusedNamingTheClientsOwnConfiguration() throws Exception {
    Path old = Files.writeString(folder.resolve("lineage.yaml"),
        "trusted_public_keys: []\nopenlineage: {transport: file, file: events.jsonl}\n");
    assertThatThrownBy(() -> dev.eligibility.jobs.cli.LineageConfig.load(old))
        .hasMessageContaining("its openlineage: block is no longer read")
        .hasMessageContaining("see conf/openlineage.yml");
  }

  @Test
  void theSchemasCatchAnEventThatBreaksThem() throws Exception {
    // The validation above can fail: an event without its run id, and a facet missing a required field.
    JsonNode broken = JSON.readTree("{\"eventTime\": \"2026-11-01T00:00:00Z\", \"producer\": \"https://x\","
        + " \"schemaURL\": \"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\", \"run\": {\"facets\":"
        + " {\"nominalTime\": {\"_producer\": \"https://x\", \"_schemaURL\":"
        + " \"https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet\"}}},"
        + " \"job\": {\"namespace\": \"n\", \"name\": \"j\"}}");
    List<String> violations = SCHEMAS.violations(broken);
    assertThat(violations).anyMatch(v -> v.startsWith("event:") && v.contains("runId"));
    assertThat(violations).anyMatch(v -> v.startsWith("run.facets.nominalTime:") && v.contains("nominalStartTime"));
  }

  @Test
  void datasetsAreNamedByOpenLineageConventions() {
    assertThat(DatasetNames.of("s3a://bucket/corpus/web/")).isEqualTo(new DatasetNames("s3://bucket", "corpus/web"));
    assertThat(DatasetNames.of("hdfs://nn:8020/data/x")).isEqualTo(new DatasetNames("hdfs://nn:8020", "/data/x"));
    assertThat(DatasetNames.of("file:///tmp/a")).isEqualTo(new DatasetNames("file", "/tmp/a"));
    assertThat(DatasetNames.of("/tmp/b/../c")).isEqualTo(new DatasetNames("file", "/tmp/c"));
  }
}
