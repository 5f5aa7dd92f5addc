package dev.eligibility.jobs.openlineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's OpenLineage events, through the file transport of conf/lineage.yaml. */
class OpenLineageEventsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path folder;

  Path conf() throws Exception {
    Path conf = folder.resolve("lineage.yaml");
    Files.writeString(conf, "openlineage: {transport: file, file: events.jsonl, namespace: nightly}\n");
    return conf;
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
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--lineage-conf", conf().toString(), "--spec",
        workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    List<JsonNode> events = events();
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "COMPLETE");
    JsonNode start = events.get(0);
    JsonNode complete = events.get(1);
    assertThat(complete.at("/run/runId").asText()).isEqualTo(start.at("/run/runId").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(complete.at("/job/namespace").asText()).isEqualTo("nightly");
    assertThat(complete.at("/job/name").asText()).isEqualTo("eligibility.base_model");
    assertThat(complete.get("schemaURL").asText()).startsWith("https://openlineage.io/spec/");
    assertThat(complete.get("producer").asText()).startsWith("https://eligibility-filter.dev/jobs/");

    assertThat(complete.get("inputs")).hasSize(9);
    JsonNode web = complete.get("inputs").get(0);
    assertThat(web.get("namespace").asText()).isEqualTo("file");
    assertThat(web.get("name").asText()).isEqualTo(workspace.file("corpus/web.jsonl").toAbsolutePath().toString());
    assertThat(web.at("/facets/version/datasetVersion").asText()).startsWith("eligibility-dataset-v1:");

    JsonNode eligible = complete.get("outputs").get(0);
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
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--lineage-conf", conf().toString(), "--spec", spec.toString());
    assertThat(run.exitCode()).isEqualTo(3);

    List<JsonNode> events = events();
    assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly("START", "FAIL");
    JsonNode fail = events.get(1);
    assertThat(fail.at("/run/facets/errorMessage/message").asText()).contains("has no column 'zdr'");
    assertThat(fail.at("/run/facets/errorMessage/programmingLanguage").asText()).isEqualTo("Java");
    String text = Files.readString(folder.resolve("events.jsonl"));
    for (String line : Files.readAllLines(workspace.file("corpus/api.jsonl"))) {
      assertThat(text).doesNotContain(line.replaceAll(".*\"content\": \"([^\"]*)\".*", "$1"));
    }
  }

  @Test
  void datasetsAreNamedByOpenLineageConventions() {
    assertThat(DatasetNames.of("s3a://bucket/corpus/web/")).isEqualTo(new DatasetNames("s3://bucket", "corpus/web"));
    assertThat(DatasetNames.of("hdfs://nn:8020/data/x")).isEqualTo(new DatasetNames("hdfs://nn:8020", "/data/x"));
    assertThat(DatasetNames.of("file:///tmp/a")).isEqualTo(new DatasetNames("file", "/tmp/a"));
    assertThat(DatasetNames.of("/tmp/b/../c")).isEqualTo(new DatasetNames("file", "/tmp/c"));
  }
}
