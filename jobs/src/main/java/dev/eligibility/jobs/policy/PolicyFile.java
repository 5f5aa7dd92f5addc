package dev.eligibility.jobs.policy;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.StrictYaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;

/**
 * Loads {@code policy.yaml}. Unknown keys are errors, every key is required, and the file's
 * SHA-256 is kept so a run record pins the exact bytes it was judged by.
 */
public final class PolicyFile {

  /** Classpath copy of {@code conf/policy.yaml}, used when a spec names no policy. */
  public static final String BUNDLED_RESOURCE = "/policy/policy.yaml";

  private static final Set<String> KEYS =
      Set.of("policy_id", "cutoff", "non_retained_endpoints", "abuse_monitoring_retention_days");

  private PolicyFile() {}

  /** The policy bundled with this build. */
  public static PolicyParameters bundled() {
    try (InputStream in = PolicyFile.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled policy " + BUNDLED_RESOURCE + " is missing from the build");
      }
      return parse("bundled:" + BUNDLED_RESOURCE, in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled policy", e);
    }
  }

  /**
   * The policy a run record names by its {@code source}: {@code bundled:...} for this build's
   * bundled policy, otherwise the file at that path.
   */
  public static PolicyParameters fromSource(String source) {
    return source != null && source.startsWith("bundled:") ? bundled() : load(Path.of(source));
  }

  /** The policy at {@code file}. */
  public static PolicyParameters load(Path file) {
    try {
      return parse(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the policy file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static PolicyParameters parse(String source, byte[] bytes) {
    StrictYaml yaml = StrictYaml.parse(source, bytes, KEYS);
    String daysText = yaml.requiredText("abuse_monitoring_retention_days");
    long days;
    try {
      days = Long.parseLong(daysText);
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (days < 0) {
      throw Errors.badValue(source, "abuse_monitoring_retention_days", daysText, "a whole number of days, 0 or more");
    }
    return new PolicyParameters(
        yaml.requiredText("policy_id"),
        source,
        sha256(bytes),
        yaml.requiredInstant("cutoff"),
        yaml.requiredTextList("non_retained_endpoints"),
        Duration.ofDays(days));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
