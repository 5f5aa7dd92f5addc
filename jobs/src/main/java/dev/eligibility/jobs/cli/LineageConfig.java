package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.StrictYaml;
import dev.eligibility.lineage.Ed25519Keys;
import dev.eligibility.lineage.RunManifest.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code conf/lineage.yaml}: where a run's signing key comes from (an environment variable with
 * the PEM, one with its path, or a path), and which public keys readers trust. The key itself
 * never lives in the repository.
 *
 * <p>Which file: {@code --lineage-conf}, else the system property {@value #PROPERTY} (the
 * launchers set it to {@code conf/lineage.yaml}), else the copy bundled in the jar.
 */
public final class LineageConfig {

  public static final String PROPERTY = "eligibility.lineage.conf";
  static final String BUNDLED = "/conf/lineage.yaml";
  private static final Set<String> KEYS =
      Set.of("signing_key_env", "signing_key_file_env", "signing_key_file", "trusted_public_keys");

  private final String source;
  private final Optional<String> signingKeyEnv;
  private final Optional<String> signingKeyFileEnv;
  private final Optional<Path> signingKeyFile;
  private final List<Path> trustedPublicKeys;

  private LineageConfig(String source, Optional<String> signingKeyEnv, Optional<String> signingKeyFileEnv,
      Optional<Path> signingKeyFile, List<Path> trustedPublicKeys) {
    this.source = source;
    this.signingKeyEnv = signingKeyEnv;
    this.signingKeyFileEnv = signingKeyFileEnv;
    this.signingKeyFile = signingKeyFile;
    this.trustedPublicKeys = List.copyOf(trustedPublicKeys);
  }

  /** The configuration named by {@code file}, or the default one when {@code file} is null. */
  public static LineageConfig load(Path file) {
    Path chosen = file != null ? file
        : Optional.ofNullable(System.getProperty(PROPERTY)).map(Path::of).orElse(null);
    if (chosen == null) {
      try (InputStream in = LineageConfig.class.getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED + " is missing from the build");
        }
        return parse("bundled:" + BUNDLED, in.readAllBytes(), null);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + BUNDLED, e);
      }
    }
    try {
      return parse(chosen.toString(), Files.readAllBytes(chosen), chosen.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw Errors.specUnreadable(chosen.toString(), "the lineage configuration cannot be read");
    }
  }

  static LineageConfig parse(String source, byte[] bytes, Path folder) {
    if (StrictYaml.parse(source, bytes, union(KEYS, "openlineage")).has("openlineage")) {
      throw Errors.specConflict(source, "its openlineage: block is no longer read: OpenLineage events are configured"
          + " the client's own way (an openlineage.yml named by OPENLINEAGE_CONFIG or --openlineage-conf, or"
          + " OPENLINEAGE__ environment variables; see conf/openlineage.yml). Remove the block.");
    }
    StrictYaml yaml = StrictYaml.parse(source, bytes, KEYS);
    List<Path> trusted = new ArrayList<>();
    for (String path : yaml.optionalTextList("trusted_public_keys")) {
      trusted.add(resolve(folder, path));
    }
    return new LineageConfig(source, yaml.optionalText("signing_key_env"), yaml.optionalText("signing_key_file_env"),
        yaml.optionalText("signing_key_file").map(p -> resolve(folder, p)), trusted);
  }

  private static Set<String> union(Set<String> keys, String more) {
    Set<String> all = new java.util.HashSet<>(keys);
    all.add(more);
    return all;
  }

  private static Path resolve(Path folder, String path) {
    Path p = Path.of(path);
    return p.isAbsolute() || folder == null ? p : folder.resolve(p).normalize();
  }

  public String source() {
    return source;
  }

  /**
   * The signing key for a manifest or receipt: the configured one, none with {@code unsigned}, and
   * a refusal naming where a key is looked for when none is configured and {@code unsigned} is not given.
   */
  public Optional<Signer> signerOrRefuse(boolean unsigned, Map<String, String> environment) {
    if (unsigned) {
      return Optional.empty();
    }
    return Optional.of(signer(environment).orElseThrow(() -> Errors.noSigningKey(source(), keySources())));
  }

  /** The signing key, from the first configured source that is set; empty when none is. */
  public Optional<Signer> signer(Map<String, String> environment) {
    Optional<String> pem = signingKeyEnv.map(environment::get).filter(v -> !v.isBlank());
    String origin = signingKeyEnv.map(v -> "environment variable " + v).orElse("");
    if (pem.isEmpty()) {
      Optional<Path> file = signingKeyFileEnv.map(environment::get).filter(v -> !v.isBlank()).map(Path::of)
          .or(() -> signingKeyFile);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      origin = file.get().toString();
      try {
        pem = Optional.of(Files.readString(file.get()));
      } catch (IOException e) {
        throw Errors.specUnreadable(origin, "the signing key file cannot be read");
      }
    }
    try {
      PrivateKey key = Ed25519Keys.privateKeyFromPem(pem.get());
      PublicKey publicKey = Ed25519Keys.publicKeyOf(key);
      return Optional.of(new Signer(key, Ed25519Keys.keyId(publicKey)));
    } catch (GeneralSecurityException e) {
      // Never echo the key material: name only where it came from.
      throw Errors.specUnreadable(origin, "the signing key is not an Ed25519 private key in PEM (PKCS#8)");
    }
  }

  /** The public keys readers trust. */
  public List<PublicKey> trustedKeys() {
    List<PublicKey> keys = new ArrayList<>();
    for (Path path : trustedPublicKeys) {
      try {
        keys.add(Ed25519Keys.publicKeyFromPem(Files.readString(path)));
      } catch (IOException | GeneralSecurityException e) {
        throw Errors.specUnreadable(path.toString(), "not a readable Ed25519 public key in PEM");
      }
    }
    return keys;
  }

  /** What a user can set to give a run its key, for error messages. */
  public String keySources() {
    List<String> sources = new ArrayList<>();
    signingKeyEnv.ifPresent(v -> sources.add("environment variable " + v + " (PEM)"));
    signingKeyFileEnv.ifPresent(v -> sources.add("environment variable " + v + " (path)"));
    signingKeyFile.ifPresent(p -> sources.add("file " + p));
    return sources.isEmpty() ? "no key source is configured" : String.join(", or ", sources);
  }
}
