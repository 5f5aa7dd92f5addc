package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.Ed25519Keys;
import dev.eligibility.lineage.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs sign their manifests with the configured key, refuse to run without one, and readers trust only listed keys. */
class SignedRunTest {

  @TempDir
  Path folder;

  Path config(String body) throws Exception {
    Path file = folder.resolve("lineage-" + System.nanoTime() + ".yaml");
    Files.writeString(file, body);
    return file;
  }

  @Test
  void aRunSignsWithTheConfiguredKeyAndReadersTrustOnlyListedKeys() throws Exception {
    TestSpark.session();
    KeyPair key = Ed25519Keys.generate();
    KeyPair stranger = Ed25519Keys.generate();
    Files.writeString(folder.resolve("signing.pem"), Ed25519Keys.toPem(key.getPrivate()));
    Files.writeString(folder.resolve("trusted.pub.pem"), Ed25519Keys.toPem(key.getPublic()));
    Files.writeString(folder.resolve("stranger.pub.pem"), Ed25519Keys.toPem(stranger.getPublic()));
    Path signing = config("signing_key_file: signing.pem\ntrusted_public_keys: [trusted.pub.pem]\n");
    Path strangerOnly = config("trusted_public_keys: [stranger.pub.pem]\n");

    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    Invocation run = SampleWorkspace.cli("run", "--lineage-conf", signing.toString(), "--spec",
        workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("manifest signed with key " + Ed25519Keys.keyId(key.getPublic()).substring(0, 16));
    assertThat(run.out() + run.err()).doesNotContain(Files.readString(folder.resolve("signing.pem")).lines().skip(1).findFirst().orElseThrow());

    Path manifest = root.resolve("manifests/sample-base-model.json");
    RunManifest.Opened opened = RunManifest.open(Files.readAllBytes(manifest), List.of(key.getPublic()));
    assertThat(opened.signed()).isTrue();
    assertThat(opened.record().counts().eligible()).isEqualTo(7);

    Invocation trusted = lineage("show", "--lineage-conf", signing.toString(), "--manifest", manifest.toString());
    assertThat(trusted.exitCode()).as(trusted.err()).isZero();
    assertThat(trusted.err()).doesNotContain("UNSIGNED");
    Invocation untrusted = lineage("show", "--lineage-conf", strangerOnly.toString(), "--manifest", manifest.toString());
    assertThat(untrusted.exitCode()).isEqualTo(2);
    assertThat(untrusted.err()).contains("the manifest cannot be trusted: signature: no signature verifies with any trusted key");
  }

  @Test
  void aRunWithoutAKeyIsRefusedUnlessUnsigned() throws Exception {
    Path noKey = config("signing_key_file_env: ELIGIBILITY_TEST_KEY_THAT_IS_NOT_SET\ntrusted_public_keys: []\n");
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    Invocation refused = SampleWorkspace.cli("run", "--lineage-conf", noKey.toString(), "--spec",
        workspace.spec("base-model", root, s -> s).toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("No signing key: a run's manifest is signed with an Ed25519 key from environment"
        + " variable ELIGIBILITY_TEST_KEY_THAT_IS_NOT_SET (path)", "or pass --unsigned");
    assertThat(SampleWorkspace.listing(root)).isEmpty();
  }

}
