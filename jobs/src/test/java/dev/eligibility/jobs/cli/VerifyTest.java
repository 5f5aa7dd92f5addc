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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lineage verify} on signed sample runs: an untouched run verifies; each tamper named by
 * the lineage issue fails, naming the claim it breaks.
 *
 * <p>Tampers that leave the output root as it is (a changed envelope, a copied or replayed
 * manifest) share one history of two runs; tampers that change data each get runs of their own.
 */
class VerifyTest {

  static final String RUN = "sample-base-model";
  static final String AGAIN = "sample-base-model-again";

  /** Two committed runs under one root, {@link #RUN} then {@link #AGAIN}; never changed by a test. */
  static VerifyTest history;

  @TempDir
  static Path historyFolder;

  @TempDir
  Path folder;

  SparkSession spark;
  KeyPair key;
  Path lineageConf;
  SampleWorkspace workspace;
  Path root;

  @BeforeAll
  static void sharedHistory() throws Exception {
    history = new VerifyTest();
    history.folder = historyFolder;
    history.signingKeyAndWorkspace();
    history.run(RUN);
    history.run(AGAIN);
  }

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
    Invocation verify = history.verify(history.manifest(AGAIN));
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("VERIFIED: every claim holds.")
        .containsPattern("HOLDS +signature ").containsPattern("HOLDS +identity ").containsPattern("HOLDS +chain ")
        .containsPattern("HOLDS +freshness ").containsPattern("HOLDS +outputs ").containsPattern("HOLDS +inputs ")
        .containsPattern("HOLDS +policy ").containsPattern("HOLDS +evaluation ").containsPattern("HOLDS +negative-claims ")
        .contains("re-evaluated 30 candidates: the same 7 eligible rows")
        .contains("links to run " + RUN + " (manifest " + digest(history.manifest(RUN)) + ")");
    for (String line : Files.readAllLines(history.workspace.file("corpus/api.jsonl"))) {
      String content = line.replaceAll(".*\"content\": \"([^\"]*)\".*", "$1");
      assertThat(verify.out() + verify.err()).doesNotContain(content);
    }
  }

  @Test
  void oneByteOfTheEnvelopeChangedFailsTheSignature() throws Exception {
    byte[] bytes = Files.readAllBytes(history.manifest(AGAIN));
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.indexOf("\"payload\"") + 40;
    bytes[at] = (byte) (bytes[at] == 'A' ? 'B' : 'A');
    Path tampered = Files.write(folder.resolve("tampered.json"), bytes);
    assertFails(history.verify(tampered), "signature", "no signature verifies with any trusted key");
  }

  @Test
  void aSignatureByAnUntrustedKeyCarryingTheTrustedKeyIdFails() throws Exception {
    byte[] statement = DsseEnvelope.fromJson(Files.readAllBytes(history.manifest(AGAIN))).payloadBytes();
    KeyPair stranger = Ed25519Keys.generate();
    DsseEnvelope forged = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement, stranger.getPrivate(),
        Ed25519Keys.keyId(history.key.getPublic()));
    Path resigned = Files.write(folder.resolve("resigned.json"), forged.toJson());
    assertFails(history.verify(resigned), "signature", "no signature verifies with any trusted key");
  }

  @Test
  void aManifestCopiedFromAnotherRunFailsItsIdentity() throws Exception {
    Path copy = Files.createDirectories(folder.resolve("manifests")).resolve(AGAIN + ".json");
    Files.copy(history.manifest(RUN), copy);
    assertFails(history.verify(copy, "--historical"), "identity", "holds the manifest of run " + RUN);
  }

  @Test
  void anOldManifestReplayedAgainstANewerTableVersionFailsFreshnessButVerifiesAsAPastRun() throws Exception {
    assertFails(history.verify(history.manifest(RUN)), "freshness", "superseded by run " + AGAIN + " (eligible v1)");
    Invocation past = history.verify(history.manifest(RUN), "--historical");
    assertThat(past.exitCode()).as(past.out()).isZero();
    assertThat(past.out()).containsPattern("NOTED +freshness ");
  }

  @Test
  void runsListsTheCommittedRunsWithAnOrganizationsData() throws Exception {
    Invocation alpha = lineage("runs", "--lineage-conf", history.lineageConf.toString(), "--root",
        history.root.toString(), "--org", "org-alpha");
    assertThat(alpha.exitCode()).as(alpha.out() + alpha.err()).isZero();
    List<String> lines = alpha.out().lines().toList();
    assertThat(lines.get(1)).startsWith(AGAIN).contains("COMMITTED, signed");
    assertThat(lines.get(2)).startsWith(RUN + " ").contains(" 2 ");
    assertThat(alpha.out()).contains("2 runs with eligible rows of org-alpha");

    Invocation nobody = lineage("runs", "--lineage-conf", history.lineageConf.toString(), "--root",
        history.root.toString(), "--org", "org-gone");
    assertThat(nobody.exitCode()).isZero();
    assertThat(nobody.out()).contains("0 runs with eligible rows of org-gone");
  }

  @Test
  void runsSaysWhenTheRegistryCountsAreNotTheOnesTheManifestBinds() throws Exception {
    // On the shared history, undone at the end: no other claim reads the per-organization counts.
    io.delta.tables.DeltaTable organizations = io.delta.tables.DeltaTable.forPath(spark,
        history.root.resolve("registry/run_organizations").toString());
    String ofRun = "run_id = '" + RUN + "' AND organization_id = 'org-alpha'";
    organizations.updateExpr(ofRun, java.util.Map.of("eligible_rows", "eligible_rows + 1"));
    try {
      Invocation alpha = lineage("runs", "--lineage-conf", history.lineageConf.toString(), "--root",
          history.root.toString(), "--org", "org-alpha");
      assertThat(alpha.exitCode()).as(alpha.out() + alpha.err()).isEqualTo(1);
      assertThat(alpha.out().lines().toList().get(1)).startsWith(AGAIN).contains("COMMITTED, signed");
      assertThat(alpha.out().lines().toList().get(2)).startsWith(RUN + " ").contains("MANIFEST DISAGREES");
    } finally {
      organizations.updateExpr(ofRun, java.util.Map.of("eligible_rows", "eligible_rows - 1"));
    }
  }

  static String digest(Path manifest) throws java.io.IOException {
    return dev.eligibility.jobs.publication.RunRecordStore.digestOf(Files.readAllBytes(manifest));
  }

  @Test
  void aReRunKeepsTheChainAndTheSupersededManifestIsArchived() throws Exception {
    Path first = run(RUN);
    byte[] original = Files.readAllBytes(first);
    String originalDigest = digest(first);
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
    assertFails(verify(manifest), "freshness", "eligible/ is at v1, not the pinned v0: the newer versions were written by no registered run");
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
}
