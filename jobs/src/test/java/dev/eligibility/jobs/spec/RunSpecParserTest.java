package dev.eligibility.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.errors.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RunSpecParserTest {

  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  static final Path FOLDER = Path.of("/specs/nightly");

  static final String INPUTS = """
      inputs:
        corpus:
          - {name: web, path: corpus/web.jsonl, format: json}
          - {name: api, path: s3a://bucket/corpus/api, format: delta}
        api_requests: {path: /data/requests, format: parquet}
        consent_events: {path: ref/consent.csv, format: csv}
        fine_tune_files: {path: ref/files, format: delta}
        fine_tuned_models: {path: ref/models, format: delta}
      output: {root: ../out}
      """;

  static RunSpec parse(String yaml) {
    return new RunSpecParser(NOW).parse("spec.yaml", yaml.getBytes(StandardCharsets.UTF_8), FOLDER);
  }

  static void assertSpecError(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOfSatisfying(EligibilityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SPEC))
        .hasMessage(message);
  }

  @Test
  void aCompleteSpecParsesWithPathsResolvedAgainstTheSpecFolder() {
    RunSpec spec = parse("run_id: nightly-2026-11-25\npurpose: BASE_MODEL\nas_of: 2026-11-25T00:00:00Z\n" + INPUTS);
    assertThat(spec.runId()).isEqualTo("nightly-2026-11-25");
    assertThat(spec.purpose()).isEqualTo(Purpose.BASE_MODEL);
    assertThat(spec.asOf()).contains(Instant.parse("2026-11-25T00:00:00Z"));
    assertThat(spec.corpus()).extracting(TableInput::path)
        .containsExactly("/specs/nightly/corpus/web.jsonl", "s3a://bucket/corpus/api");
    assertThat(spec.apiRequests().path()).isEqualTo("/data/requests");
    assertThat(spec.consentEvents().format()).isEqualTo(TableFormat.CSV);
    assertThat(spec.outputRoot()).isEqualTo("/specs/out");
    assertThat(spec.zdrAgreements()).isEmpty();
    assertThat(spec.licenses()).isEmpty();
    assertThat(spec.policyFile()).isEmpty();
  }

  @Test
  void aDeltaInputMayBePinnedToAVersionOrATimestamp() {
    RunSpec spec = parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS
        .replace("s3a://bucket/corpus/api, format: delta}", "s3a://bucket/corpus/api, format: delta, version: 12}")
        .replace("{path: ref/files, format: delta}", "{path: ref/files, format: delta, timestamp: 2026-11-24T02:00:00+01:00}"));
    assertThat(spec.corpus().get(1).pin()).contains(new DeltaPin.Version(12));
    assertThat(spec.corpus().get(0).pin()).isEmpty();
    assertThat(spec.fineTuneFiles().pin()).contains(new DeltaPin.AsOf(Instant.parse("2026-11-24T01:00:00Z")));
    assertThat(spec.fineTunedModels().pin()).isEmpty();
  }

  @Test
  void aPinOnAFileInputBothPinsOrABadVersionAreSpecErrors() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS
            .replace("{path: /data/requests, format: parquet}", "{path: /data/requests, format: parquet, version: 3}"),
        "spec.yaml: key 'inputs.api_requests.version' pins a Delta table's snapshot; a parquet input is read as"
            + " its files are. Remove it, or store the input as Delta.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS
            .replace("{path: ref/files, format: delta}", "{path: ref/files, format: delta, version: 1, timestamp: 2026-11-24T00:00:00Z}"),
        "spec.yaml: keys 'inputs.fine_tune_files.version' and 'inputs.fine_tune_files.timestamp' both pin the"
            + " input; keep one of them.");
    assertThatThrownBy(() -> parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS
            .replace("{path: ref/files, format: delta}", "{path: ref/files, format: delta, version: -1}")))
        .hasMessageContaining("inputs.fine_tune_files.version").hasMessageContaining("a Delta table version: 0, 1, 2, ...");
    assertThatThrownBy(() -> parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS
            .replace("{path: ref/files, format: delta}", "{path: ref/files, format: delta, timestamp: yesterday}")))
        .hasMessageContaining("inputs.fine_tune_files.timestamp").hasMessageContaining("an ISO-8601 instant with a zone");
  }

  @Test
  void asOfIsOptionalAndAnOffsetIsConvertedToUtc() {
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS).asOf()).isEmpty();
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\nas_of: 2026-11-25T01:00:00+01:00\n" + INPUTS).asOf())
        .contains(Instant.parse("2026-11-25T00:00:00Z"));
  }

  @Test
  void acceptDriftIsAnOptionalTrueOrFalse() {
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\naccept_drift: true\n" + INPUTS).acceptDrift()).isTrue();
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\naccept_drift: false\n" + INPUTS).acceptDrift()).isFalse();
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS).acceptDrift()).isFalse();
    assertSpecError("run_id: r\npurpose: BASE_MODEL\naccept_drift: sometimes\n" + INPUTS,
        "spec.yaml: key 'accept_drift' has value 'sometimes'; expected true or false.");
  }

  @Test
  void unknownKeysAreRejectedAtEveryLevel() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\nasof: 2026-01-01T00:00:00Z\n" + INPUTS,
        "spec.yaml: key 'asof' is not known. Known keys here: accept_drift, as_of, fine_tune_org_id, inputs, output, policy,"
            + " purpose, run_id. Remove it or fix its spelling.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replace("{name: web, path", "{name: web, fromat: json, path"),
        "spec.yaml: key 'inputs.corpus[0].fromat' is not known. Known keys here: format, name, path, timestamp, version."
            + " Remove it or fix its spelling.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replace("{root: ../out}", "{root: ../out, mode: x}"),
        "spec.yaml: key 'output.mode' is not known. Known keys here: catalog, root. Remove it or fix its spelling.");
  }

  @Test
  void badRunIdsAreRejected() {
    for (String bad : new String[] {"'has space'", "'a/b'", "''", "x".repeat(129)}) {
      assertThatThrownBy(() -> parse("run_id: " + bad + "\npurpose: BASE_MODEL\n" + INPUTS))
          .isInstanceOf(EligibilityException.class)
          .hasMessageContaining("key 'run_id'")
          .hasMessageEndingWith("expected 1 to 128 characters from A-Z a-z 0-9 . _ -.");
    }
  }

  @Test
  void aFutureAsOfIsRejected() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\nas_of: 2026-11-25T12:00:01Z\n" + INPUTS,
        "spec.yaml: key 'as_of' is 2026-11-25T12:00:01Z, which lies in the future (now is 2026-11-25T12:00:00Z)."
            + " A run can only judge the world up to now; omit as_of to use the run's start.");
  }

  @Test
  void anAsOfWithoutZoneIsRejected() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\nas_of: 2026-11-25T00:00:00\n" + INPUTS,
        "spec.yaml: key 'as_of' has value '2026-11-25T00:00:00'; expected an ISO-8601 instant with a zone, such as"
            + " 2026-11-25T00:00:00Z.");
  }

  @Test
  void purposeAndOrganizationMustFit() {
    assertSpecError("run_id: r\npurpose: FINE_TUNE\n" + INPUTS,
        "spec.yaml: a FINE_TUNE run needs key 'fine_tune_org_id' naming the organization it is for.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\nfine_tune_org_id: org-1\n" + INPUTS,
        "spec.yaml: key 'fine_tune_org_id' is only allowed for purpose FINE_TUNE; remove it from a BASE_MODEL run.");
    assertSpecError("run_id: r\npurpose: PRETRAIN\n" + INPUTS,
        "spec.yaml: key 'purpose' has value 'PRETRAIN'; expected BASE_MODEL or FINE_TUNE.");
    assertThat(parse("run_id: r\npurpose: FINE_TUNE\nfine_tune_org_id: org-1\n" + INPUTS).fineTuneOrgId())
        .contains("org-1");
  }

  @Test
  void missingOutputAndRequiredInputsAreRejected() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replace("output: {root: ../out}", ""),
        "spec.yaml: required key 'output' is missing.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replaceAll("  consent_events: .*\n", ""),
        "spec.yaml: required key 'inputs.consent_events' is missing.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replace("format: parquet", "format: orc"),
        "spec.yaml: key 'inputs.api_requests.format' has value 'orc'; expected one of delta, parquet, json, csv.");
  }

  @Test
  void twoCorpusInputsWithOneNameAreRejected() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS.replace("{name: api,", "{name: web,"),
        "spec.yaml: two corpus inputs are named 'web' (inputs.corpus[1].name); give each corpus input its own name.");
  }

  @Test
  void aDocumentThatIsNotAMappingIsRejected() {
    assertSpecError("- just\n- a list\n",
        "Cannot read spec.yaml: the document must be a YAML mapping of keys to values.");
  }

  @Test
  void aKeyGivenTwiceIsRejectedWithBothLines() {
    assertSpecError("run_id: r\npurpose: BASE_MODEL\nrun_id: other\n" + INPUTS,
        "spec.yaml: key 'run_id' is given twice, on line 1 and on line 3. Keep one of them.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n" + INPUTS + "output: {root: /elsewhere}\n",
        "spec.yaml: key 'output' is given twice, on line 11 and on line 12. Keep one of them.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n"
            + INPUTS.replace("{name: api, path: s3a://bucket/corpus/api,", "{name: api, path: a, path: s3a://b,"),
        "spec.yaml: key 'inputs.corpus[1].path' is given twice, on line 6 and on line 6. Keep one of them.");
    assertSpecError("run_id: r\npurpose: BASE_MODEL\n"
            + INPUTS.replace("  api_requests: {path: /data/requests, format: parquet}\n",
                "  api_requests:\n    path: /data/requests\n    format: parquet\n    path: /data/other\n"),
        "spec.yaml: key 'inputs.api_requests.path' is given twice, on line 8 and on line 10. Keep one of them.");
  }

  @Test
  void theSameKeyInDifferentMappingsIsFine() {
    assertThat(parse("run_id: r\npurpose: BASE_MODEL\n" + INPUTS).corpus()).extracting(TableInput::name)
        .containsExactly("web", "api");
  }
}
