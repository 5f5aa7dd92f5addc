package dev.eligibility.jobs.policy;

import dev.eligibility.jobs.errors.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Loads {@code policy.yaml}. Unknown keys are errors, every key is required, and the file's
 * SHA-256 is kept so a run record pins the exact bytes it was judged by.
 */
public final class PolicyFile {

  /** Classpath copy of {@code conf/policy.yaml}, used when a spec names no policy. */
  public static final String BUNDLED_RESOURCE = "/policy/policy.yaml";

  private static final Set<String> KEYS =
      Set.of("policy_id", "cutoff", "non_retained_endpoints", "abuse_monitoring_retention_days");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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

  /** The policy at {@code file}. */
  public static PolicyParameters load(Path file) {
    try {
      return parse(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the policy file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static PolicyParameters parse(String source, byte[] bytes) {
    JsonNode root;
    try {
      root = YAML.readTree(bytes);
    } catch (IOException e) {
      throw Errors.specUnreadable(source, "the policy file is not valid YAML");
    }
    if (root == null || !root.isObject()) {
      throw Errors.specUnreadable(source, "the policy file must be a YAML mapping");
    }
    Iterator<String> names = root.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw Errors.unknownKey(source, name, KEYS.stream().sorted().toList());
      }
    }
    String policyId = text(source, root, "policy_id");
    Instant cutoff = instant(source, text(source, root, "cutoff"));
    JsonNode endpoints = root.get("non_retained_endpoints");
    if (endpoints == null || !endpoints.isArray()) {
      throw Errors.missingKey(source, "non_retained_endpoints");
    }
    List<String> endpointList = new java.util.ArrayList<>();
    for (JsonNode endpoint : endpoints) {
      if (!endpoint.isTextual() || endpoint.asText().isEmpty()) {
        throw Errors.badValue(source, "non_retained_endpoints", endpoint.asText(), "a list of endpoint paths");
      }
      endpointList.add(endpoint.asText());
    }
    String daysText = text(source, root, "abuse_monitoring_retention_days");
    long days;
    try {
      days = Long.parseLong(daysText);
    } catch (NumberFormatException e) {
      days = -1;
    }
    if (days < 0) {
      throw Errors.badValue(source, "abuse_monitoring_retention_days", daysText, "a whole number of days, 0 or more");
    }
    return new PolicyParameters(policyId, source, sha256(bytes), cutoff, endpointList, Duration.ofDays(days));
  }

  private static String text(String source, JsonNode root, String key) {
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      throw Errors.missingKey(source, key);
    }
    if (!value.isValueNode() || value.asText().isEmpty()) {
      throw Errors.badValue(source, key, value.toString(), "a non-empty value");
    }
    return value.asText();
  }

  private static Instant instant(String source, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw Errors.badValue(source, "cutoff", text, "an ISO-8601 instant with a zone, such as 2023-03-01T00:00:00Z");
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
