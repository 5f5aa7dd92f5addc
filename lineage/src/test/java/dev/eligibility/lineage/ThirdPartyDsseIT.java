package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest signed by this project is verified by software this project did not write: Debian's
 * python3-securesystemslib checks the Ed25519 signature over the DSSE pre-authentication encoding
 * ({@code src/test/python/dsse_verify.py}), so the envelope is real DSSE, not merely
 * self-consistent. The test installs the Debian packages it needs when they are missing.
 */
class ThirdPartyDsseIT {

  static final Path VERIFIER = Path.of("src", "test", "python", "dsse_verify.py");
  static final Path ENSURE = Path.of("src", "test", "scripts", "ensure-third-party-verifier.sh");

  static final KeyPair KEY = Ed25519Keys.generate();

  @TempDir
  Path folder;

  record Result(int exit, String output) {}

  @BeforeAll
  static void thirdPartyVerifierInstalled() throws Exception {
    Result ensured = run(List.of("bash", ENSURE.toString()));
    assertThat(ensured.exit()).as("installing python3-securesystemslib: " + ensured.output()).isZero();
  }

  @Test
  void aManifestSignedHereVerifiesWithSecuresystemslib() throws Exception {
    Path manifest = write("manifest.json", signed(KEY));
    Result result = verify(manifest, KEY.getPublic());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("OK signature by keyid hint " + Ed25519Keys.keyId(KEY.getPublic()))
        .contains("in-toto Statement v1 with 1 subjects, predicateType " + RunManifest.PREDICATE_TYPE);
  }

  @Test
  void theThirdPartyVerifierRejectsAChangedPayloadAndAnotherKey() throws Exception {
    byte[] envelope = signed(KEY);
    String text = new String(envelope, StandardCharsets.UTF_8);
    int at = text.indexOf("\"payload\"") + 40;
    byte[] tampered = Arrays.copyOf(envelope, envelope.length);
    tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
    Result changed = verify(write("tampered.json", tampered), KEY.getPublic());
    assertThat(changed.exit()).as(changed.output()).isEqualTo(1);
    assertThat(changed.output()).contains("FAIL no signature verifies");

    Result otherKey = verify(write("manifest.json", envelope), Ed25519Keys.generate().getPublic());
    assertThat(otherKey.exit()).as(otherKey.output()).isEqualTo(1);
    assertThat(otherKey.output()).contains("FAIL no signature verifies");
  }

  @Test
  void anOrganizationReceiptSignedHereVerifiesWithSecuresystemslib() throws Exception {
    OrganizationReceipt receipt = new OrganizationReceipt("run-1", "BASE_MODEL", Instant.parse("2026-11-01T00:00:00Z"),
        "ab".repeat(32), "org-alpha", 2, 1, Map.of("OPT_IN_REVOKED", 1L),
        new OrganizationReceipt.ConsentSeen("OPT_OUT", Map.of("proj-secret", "OPT_OUT"), 3, 0), "cd".repeat(32), 7,
        List.of(), Instant.parse("2026-11-02T00:00:00Z"));
    Path envelope = write("receipt.json", receipt.envelope(
        Optional.of(new RunManifest.Signer(KEY.getPrivate(), Ed25519Keys.keyId(KEY.getPublic())))));
    Result result = verify(envelope, KEY.getPublic());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("OK signature by keyid hint " + Ed25519Keys.keyId(KEY.getPublic()))
        .contains("in-toto Statement v1 with 1 subjects, predicateType " + OrganizationReceipt.PREDICATE_TYPE);
    // And it reads back as the receipt it was, bound to the manifest it names.
    assertThat(OrganizationReceipt.open(Files.readAllBytes(envelope), List.of(KEY.getPublic())).receipt()).isEqualTo(receipt);
  }

  static byte[] signed(KeyPair key) {
    return RunManifest.write(RunRecordCodecTest.sample(),
        Optional.of(new RunManifest.Signer(key.getPrivate(), Ed25519Keys.keyId(key.getPublic()))));
  }

  Path write(String name, byte[] bytes) throws IOException {
    return Files.write(folder.resolve(name), bytes);
  }

  /** The raw 32-byte Ed25519 public key (the tail of its X.509 encoding), as securesystemslib takes it. */
  static String rawHex(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
  }

  static Result verify(Path envelope, PublicKey key) throws Exception {
    return run(List.of("/usr/bin/python3", VERIFIER.toString(), envelope.toString(), rawHex(key)));
  }

  static Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("finished: " + command).isTrue();
    return new Result(process.exitValue(), output);
  }
}
