package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.lineage.Ed25519Keys;
import dev.eligibility.lineage.RunManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lineage keygen}: a key pair a newcomer can sign with at once, the private half owner-only, never overwritten. */
class KeygenTest {

  @TempDir
  Path folder;

  @Test
  void keygenWritesAnOwnerOnlyPrivateKeyWhosePublicKeyIsTheOneBesideIt() throws Exception {
    Path keys = folder.resolve("keys");
    Invocation made = lineage("keygen", "--out", keys.toString());
    assertThat(made.exitCode()).as(made.err()).isZero();
    Path privatePem = keys.resolve("signing-key.pem");
    Path publicPem = keys.resolve("signing-key.pub.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privatePem))).isEqualTo("rw-------");
    PrivateKey privateKey = Ed25519Keys.privateKeyFromPem(Files.readString(privatePem));
    PublicKey publicKey = Ed25519Keys.publicKeyFromPem(Files.readString(publicPem));
    assertThat(Ed25519Keys.publicKeyOf(privateKey).getEncoded()).isEqualTo(publicKey.getEncoded());
    assertThat(made.out()).contains("key id " + Ed25519Keys.keyId(publicKey))
        .contains("signing_key_file: " + privatePem.toAbsolutePath())
        .doesNotContain(Files.readString(privatePem).lines().skip(1).findFirst().orElseThrow());

    // The lines it prints make a configuration that signs, and trusts what it signs.
    Path conf = Files.writeString(folder.resolve("lineage.yaml"), "signing_key_file: " + privatePem.toAbsolutePath()
        + "\ntrusted_public_keys: [" + publicPem.toAbsolutePath() + "]\n");
    LineageConfig config = LineageConfig.load(conf);
    Optional<RunManifest.Signer> signer = config.signer(Map.of());
    assertThat(signer).isPresent();
    assertThat(signer.get().keyId()).isEqualTo(Ed25519Keys.keyId(publicKey));
    assertThat(config.trustedKeys()).extracting(PublicKey::getEncoded).containsExactly(publicKey.getEncoded());
  }

  @Test
  void keygenNeverOverwritesAKey() throws Exception {
    Path keys = folder.resolve("keys");
    assertThat(lineage("keygen", "--out", keys.toString()).exitCode()).isZero();
    String before = Files.readString(keys.resolve("signing-key.pem"));
    Invocation again = lineage("keygen", "--out", keys.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("keygen never overwrites a key");
    assertThat(Files.readString(keys.resolve("signing-key.pem"))).isEqualTo(before);
  }
}
