package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunManifestTest {

  static final KeyPair KEY = Ed25519Keys.generate();
  static final KeyPair OTHER = Ed25519Keys.generate();
  static final RunManifest.Signer SIGNER = new RunManifest.Signer(KEY.getPrivate(), Ed25519Keys.keyId(KEY.getPublic()));

  @Test
  void aSignedManifestIsAnInTotoStatementInADsseEnvelope() throws Exception {
    RunRecord record = RunRecordCodecTest.sample();
    byte[] manifest = RunManifest.write(record, Optional.of(SIGNER));
    RunManifest.Opened opened = RunManifest.open(manifest, List.of(KEY.getPublic()));
    assertThat(opened.signed()).isTrue();
    assertThat(opened.record()).isEqualTo(record);
    JsonNode statement = new ObjectMapper().readTree(opened.statement());
    assertThat(statement.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
    assertThat(statement.get("predicateType").asText()).isEqualTo(RunManifest.PREDICATE_TYPE);
    assertThat(statement.get("subject").get(0).get("name").asText()).isEqualTo("eligible@v2");
    assertThat(statement.get("subject").get(0).get("digest").get("eligibility-dataset-v2").asText())
        .isEqualTo("cd".repeat(32));
    assertThat(new String(manifest, StandardCharsets.UTF_8)).contains("\"payloadType\" : \"application/vnd.in-toto+json\"");
  }

  @Test
  void aManifestWrittenBeforeTheNewDigestStillOpensWithItsOwnAlgorithm() throws Exception {
    RunRecord v6 = inFormat(RunRecordCodecTest.sample(), RunRecord.FORMAT_VERSION_V6);
    byte[] manifest = RunManifest.write(v6, Optional.of(SIGNER));
    RunManifest.Opened opened = RunManifest.open(manifest, List.of(KEY.getPublic()));
    assertThat(opened.record()).isEqualTo(v6);
    assertThat(opened.record().digestAlgorithm()).isEqualTo(DigestAlgorithm.ADDITIVE_V1);
    JsonNode statement = new ObjectMapper().readTree(opened.statement());
    assertThat(statement.get("predicateType").asText()).isEqualTo("urn:eligibility-filter:predicate:run-record:v6");
    assertThat(statement.get("subject").get(0).get("digest").get("eligibility-dataset-v1").asText()).isEqualTo("cd".repeat(32));
  }

  @Test
  void aPredicateTypeThatDisagreesWithTheRecordsFormatIsRefused() {
    RunRecord v6 = inFormat(RunRecordCodecTest.sample(), RunRecord.FORMAT_VERSION_V6);
    String statement = new String(RunManifest.statement(v6), StandardCharsets.UTF_8)
        .replace(RunManifest.PREDICATE_TYPE_V6, RunManifest.PREDICATE_TYPE);
    byte[] manifest = RunManifest.envelope(statement.getBytes(StandardCharsets.UTF_8), Optional.of(SIGNER));
    assertThatThrownBy(() -> RunManifest.open(manifest, List.of(KEY.getPublic())))
        .isInstanceOf(RunManifest.ManifestException.class)
        .hasMessageContaining("does not match the record's format eligibility-run-record/v6");
  }

  static RunRecord inFormat(RunRecord r, String formatVersion) {
    return new RunRecord(formatVersion, r.run(), r.policy(), r.inputs(), r.outputs(), r.counts(), r.upstreamWarnings(),
        r.negativeClaims(), r.eligibleRowsByOrganization(), r.decisionMode(), r.driftCheck(), r.codeVersion(),
        r.previousManifestDigest());
  }

  @Test
  void aSignedManifestFromAnUntrustedKeyIsRefused() {
    byte[] manifest = RunManifest.write(RunRecordCodecTest.sample(), Optional.of(SIGNER));
    assertThatThrownBy(() -> RunManifest.open(manifest, List.of(OTHER.getPublic())))
        .isInstanceOf(RunManifest.ManifestException.class)
        .hasMessageStartingWith("signature: no signature verifies with any trusted key");
  }

  @Test
  void anUnsignedManifestSaysSo() throws Exception {
    RunManifest.Opened opened = RunManifest.open(RunManifest.write(RunRecordCodecTest.sample(), Optional.empty()), List.of());
    assertThat(opened.signed()).isFalse();
    assertThat(opened.record()).isEqualTo(RunRecordCodecTest.sample());
  }
}
