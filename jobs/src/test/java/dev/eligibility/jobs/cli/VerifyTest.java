package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.DsseEnvelope;
import dev.eligibility.lineage.Ed25519Keys;
import dev.eligibility.lineage.RunManifest;
import io.delta.tables.DeltaTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lineage verify} on signed sample runs: an untouched run verifies; each tamper named by
 * the lineage issue fails, naming the claim it breaks.
 */
class VerifyTest {

  static final String RUN = "sample-base-model";

  @TempDir
  Path folder;

  SparkSession spark;
  KeyPair key;
  Path lineageConf;
  SampleWorkspace workspace;
  Path root;

  @BeforeEach
  void signingKeyAndWorkspace() throws Exception {
    spark = TestSpark.session();
    key = Ed25519Keys.generate();
    Files.writeString(folder.resolve("signing.pem"), Ed25519Keys.toPem(key.getPrivate()));
    Files.writeString(folder.resolve("trusted.pub.pem"), Ed25519Keys.toPem(key.getPublic()));
    lineageConf = folder.resolve("lineage.yaml");
    Files.writeString(lineageConf, "signing_key_file: signing.pem\ntrusted_public_keys: [trusted.pub.pem]\n");
    workspace = SampleWorkspace.create(folder.resolve("samples"));
    Files.copy(Path.of("..", "conf", "policy.yaml"), workspace.file("policy.yaml"));
    root = folder.resolve("out");
  }

  /** Runs the base-model sample, signed, under {@link #root} with the workspace's policy file. */
  Path run(String runId, String... extra) {
    Path spec = workspace.spec("base-model", root,
        s -> s.replace("run_id: " + RUN, "run_id: " + runId) + "policy: ../policy.yaml\n");
    String[] args = Stream.concat(Stream.of("run", "--lineage-conf", lineageConf.toString(), "--spec", spec.toString()),
        Stream.of(extra)).toArray(String[]::new);
    Invocation run = SampleWorkspace.cli(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return manifest(runId);
  }

  Path manifest(String runId) {
    return root.resolve("manifests").resolve(runId + ".json");
  }

  Invocation verify(Path manifest, String... extra) {
    String[] args = Stream.concat(Stream.of("verify", "--lineage-conf", lineageConf.toString(), "--manifest",
        manifest.toString()), Stream.of(extra)).toArray(String[]::new);
    return lineage(args);
  }

  static void assertFails(Invocation verify, String claim, String because) {
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isEqualTo(1);
    assertThat(verify.out()).containsPattern("FAILS +" + claim + " .*" + java.util.regex.Pattern.quote(because));
    assertThat(verify.out()).contains("NOT VERIFIED: ").containsPattern("NOT VERIFIED: .*" + claim);
  }

  @Test
  void anUntouchedSignedRunVerifiesEveryClaimWithoutPrintingPayloads() throws Exception {
    Path manifest = run(RUN);
    Invocation verify = verify(manifest);
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("VERIFIED: every claim holds.")
        .contains("HOLDS       signature", "HOLDS       identity", "HOLDS       chain", "HOLDS       freshness",
            "HOLDS       outputs", "HOLDS       inputs", "HOLDS       policy", "HOLDS       evaluation",
            "HOLDS       negative-claims")
        .contains("re-evaluated 30 candidates: the same 7 eligible rows");
    for (String line : Files.readAllLines(workspace.file("corpus/api.jsonl"))) {
      String content = line.replaceAll(".*\"content\": \"([^\"]*)\".*", "$1");
      assertThat(verify.out() + verify.err()).doesNotContain(content);
    }
  }

  @Test
  void oneByteOfTheEnvelopeChangedFailsTheSignature() throws Exception {
    Path manifest = run(RUN);
    byte[] bytes = Files.readAllBytes(manifest);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("\"payload\"") + 40;
    bytes[at] = (byte) (bytes[at] == 'A' ? 'B' : 'A');
    Files.write(manifest, bytes);
    assertFails(verify(manifest), "signature", "no signature verifies with any trusted key");
  }

  @Test
  void aSignatureByAnUntrustedKeyCarryingTheTrustedKeyIdFails() throws Exception {
    Path manifest = run(RUN);
    byte[] statement = DsseEnvelope.fromJson(Files.readAllBytes(manifest)).payloadBytes();
    KeyPair stranger = Ed25519Keys.generate();
    DsseEnvelope forged = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement, stranger.getPrivate(),
        Ed25519Keys.keyId(key.getPublic()));
    Files.write(manifest, forged.toJson());
    assertFails(verify(manifest), "signature", "no signature verifies with any trusted key");
  }

  @Test
  void aManifestCopiedFromAnotherRunFailsItsIdentity() throws Exception {
    Path first = run(RUN);
    Path second = run("sample-base-model-again");
    Files.copy(first, second, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertFails(verify(second, "--historical"), "identity", "holds the manifest of run " + RUN);
  }

  @Test
  void anOldManifestReplayedAgainstANewerTableVersionFailsFreshnessButVerifiesAsAPastRun() throws Exception {
    Path first = run(RUN);
    Path second = run("sample-base-model-again");
    assertFails(verify(first), "freshness", "superseded by run sample-base-model-again (eligible v1)");

    Invocation past = verify(first, "--historical");
    assertThat(past.exitCode()).as(past.out()).isZero();
    assertThat(past.out()).contains("NOTED       freshness");

    Invocation latest = verify(second);
    assertThat(latest.exitCode()).as(latest.out()).isZero();
    String firstDigest = dev.eligibility.jobs.output.RunRecordStore.digestOf(Files.readAllBytes(first));
    assertThat(latest.out()).contains("links to run " + RUN + " (manifest " + firstDigest + ")");
  }

  @Test
  void aReRunKeepsTheChainAndTheSupersededManifestIsArchived() throws Exception {
    Path first = run(RUN);
    byte[] original = Files.readAllBytes(first);
    String originalDigest = dev.eligibility.jobs.output.RunRecordStore.digestOf(original);
    run(RUN, "--replace");
    Path archived = root.resolve("manifests/superseded/" + RUN + "." + originalDigest + ".json");
    assertThat(archived).hasBinaryContent(original);

    Invocation replaced = verify(first);
    assertThat(replaced.exitCode()).as(replaced.out()).isZero();
    assertThat(replaced.out()).contains("links to run " + RUN + " (manifest " + originalDigest + ")");
    assertFails(verify(archived), "identity", "was re-run since (--replace)");
  }

  @Test
  void aRowAddedToEligibleAfterTheRunFailsFreshness() throws Exception {
    Path manifest = run(RUN);
    String eligible = root.resolve("eligible").toString();
    spark.read().format("delta").load(eligible).limit(1)
        .withColumn("record_id", concat(col("record_id"), lit("-smuggled")))
        .write().format("delta").mode("append").save(eligible);
    assertFails(verify(manifest), "freshness", "eligible/ is at v1, not the pinned v0");
    assertThat(verify(manifest).out()).contains("written by no registered run");
  }

  @Test
  void aRowDeletedFromEligibleAfterTheRunFailsFreshness() throws Exception {
    Path manifest = run(RUN);
    DeltaTable.forPath(spark, root.resolve("eligible").toString()).delete(col("record_id").equalTo("api-001"));
    assertFails(verify(manifest), "freshness", "eligible/ is at v1, not the pinned v0");
  }

  @Test
  void aRowDeletedFromThePinnedVersionsDataFilesFailsTheOutputs() throws Exception {
    Path manifest = run(RUN);
    Path data;
    try (Stream<Path> files = Files.list(root.resolve("eligible"))) {
      data = files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .filter(f -> spark.read().parquet(f.toString()).count() > 1)
          .findFirst().orElseThrow();
    }
    Dataset<Row> rows = spark.read().parquet(data.toString());
    String dropped = rows.select("record_id").head().getString(0);
    Path rewritten = folder.resolve("rewritten");
    rows.filter(col("record_id").notEqual(dropped)).coalesce(1).write().parquet(rewritten.toString());
    try (Stream<Path> files = Files.list(rewritten)) {
      Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      Files.copy(part, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(data.resolveSibling("." + data.getFileName() + ".crc"));
    assertFails(verify(manifest), "outputs", "eligible/ v0");
  }

  @Test
  void aConsentEventChangedAfterTheRunFailsTheInputs() throws Exception {
    Path manifest = run(RUN);
    workspace.editLines("reference/consent_events.jsonl", "\"ev-001\"",
        "{\"event_id\": \"ev-001\", \"org_id\": \"org-alpha\", \"project_id\": null, \"decision\": \"OPT_OUT\","
            + " \"effective_at\": \"2023-01-15T00:00:00Z\", \"recorded_at\": \"2023-01-15T00:00:00Z\"}");
    Invocation verify = verify(manifest);
    assertFails(verify, "inputs", "consent_events: file ");
    assertThat(verify.out()).contains("consent_events.jsonl changed").contains("NOT_CHECKED evaluation");
  }

  @Test
  void anEditedPolicyFileFailsThePolicy() throws Exception {
    Path manifest = run(RUN);
    Path policy = workspace.file("policy.yaml");
    Files.writeString(policy, Files.readString(policy).replace("2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z"));
    assertFails(verify(manifest), "policy", "it was edited after the run");
  }

  @Test
  void anUnsignedManifestFailsUnlessAllowed() throws Exception {
    Path spec = workspace.spec("base-model", root, s -> s);
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--lineage-conf", lineageConf.toString(), "--spec", spec.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertFails(verify(manifest(RUN)), "signature", "UNSIGNED");
    Invocation allowed = verify(manifest(RUN), "--allow-unsigned");
    assertThat(allowed.exitCode()).as(allowed.out()).isZero();
    assertThat(allowed.out()).containsPattern("NOTED +signature +UNSIGNED");
  }

  @Test
  void runsListsTheCommittedRunsWithAnOrganizationsData() throws Exception {
    run(RUN);
    run("sample-base-model-again");
    Invocation alpha = lineage("runs", "--lineage-conf", lineageConf.toString(), "--root", root.toString(), "--org", "org-alpha");
    assertThat(alpha.exitCode()).as(alpha.out() + alpha.err()).isZero();
    List<String> lines = alpha.out().lines().toList();
    assertThat(lines.get(1)).startsWith("sample-base-model-again").contains("COMMITTED, signed");
    assertThat(lines.get(2)).startsWith(RUN + " ").contains(" 2 ");
    assertThat(alpha.out()).contains("2 runs with eligible rows of org-alpha");

    Invocation nobody = lineage("runs", "--lineage-conf", lineageConf.toString(), "--root", root.toString(), "--org", "org-gone");
    assertThat(nobody.exitCode()).isZero();
    assertThat(nobody.out()).contains("0 runs with eligible rows of org-gone");
  }
}
