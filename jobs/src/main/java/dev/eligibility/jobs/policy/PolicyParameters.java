package dev.eligibility.jobs.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of the policy, read from {@code policy.yaml}. The rules themselves are code.
 *
 * @param policyId the policy's id, recorded in every run record
 * @param source where the file was read from
 * @param sha256 hex SHA-256 of the file's bytes
 * @param cutoff API data submitted at or after this instant needs an explicit opt-in
 * @param nonRetainedEndpoints endpoints whose traffic is never retained, compared exactly
 * @param abuseMonitoringRetention how long upstream may keep API data for abuse monitoring;
 *     older post-cutoff rows without opt-in are reported as an upstream warning
 */
public record PolicyParameters(
    String policyId,
    String source,
    String sha256,
    Instant cutoff,
    List<String> nonRetainedEndpoints,
    Duration abuseMonitoringRetention) {

  public PolicyParameters {
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(cutoff, "cutoff");
    Objects.requireNonNull(abuseMonitoringRetention, "abuseMonitoringRetention");
    nonRetainedEndpoints = List.copyOf(nonRetainedEndpoints);
  }

  /** The parameters as text, for the run record. */
  public Map<String, String> asText() {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("cutoff", cutoff.toString());
    text.put("non_retained_endpoints", String.join(",", nonRetainedEndpoints));
    text.put("abuse_monitoring_retention_days", Long.toString(abuseMonitoringRetention.toDays()));
    return text;
  }
}
