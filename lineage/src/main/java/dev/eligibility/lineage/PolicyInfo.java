package dev.eligibility.lineage;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The policy a run applied.
 *
 * @param policyId the policy's declared id
 * @param source where the policy file was read from
 * @param sha256 hex SHA-256 of the policy file's bytes, so an edited file is detectable
 * @param parameters the parameters in effect, as text, in key order
 */
public record PolicyInfo(String policyId, String source, String sha256, Map<String, String> parameters) {

  public PolicyInfo {
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(sha256, "sha256");
    parameters = java.util.Collections.unmodifiableMap(new TreeMap<>(parameters));
  }
}
