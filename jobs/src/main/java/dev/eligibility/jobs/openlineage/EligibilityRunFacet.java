package dev.eligibility.jobs.openlineage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.openlineage.client.OpenLineage;
import java.net.URI;
import java.util.Map;

/**
 * The {@code eligibility_run} run facet: the policy a run applied, its outcome counts and the
 * digest of its signed manifest, so a lineage service can link to the evidence. Its schema is
 * {@code lineage/spec/EligibilityRunFacet.json}; the version is in {@link #SCHEMA_URL}.
 */
@JsonPropertyOrder({"_producer", "_schemaURL", "runId", "policyId", "policySha256", "candidates", "eligible",
    "excluded", "excludedByReason", "manifestDigest", "previousManifestDigest"})
public final class EligibilityRunFacet extends OpenLineage.DefaultRunFacet {

  /** Facet key: {@code {prefix}_{name}}. */
  public static final String KEY = "eligibility_run";
  /** The facet's versioned schema. */
  public static final URI SCHEMA_URL =
      URI.create("https://eligibility-filter.dev/spec/facets/1-0-1/EligibilityRunFacet.json#/$defs/EligibilityRunFacet");

  private final String runId;
  private final String policyId;
  private final String policySha256;
  private final Long candidates;
  private final Long eligible;
  private final Long excluded;
  private final Map<String, Long> excludedByReason;
  private final String manifestDigest;
  private final String previousManifestDigest;

  EligibilityRunFacet(URI producer, String runId, String policyId, String policySha256, Long candidates, Long eligible,
      Long excluded, Map<String, Long> excludedByReason, String manifestDigest, String previousManifestDigest) {
    super(producer);
    this.runId = runId;
    this.policyId = policyId;
    this.policySha256 = policySha256;
    this.candidates = candidates;
    this.eligible = eligible;
    this.excluded = excluded;
    this.excludedByReason = excludedByReason;
    this.manifestDigest = manifestDigest;
    this.previousManifestDigest = previousManifestDigest;
  }

  @Override
  @JsonProperty("_schemaURL")
  public URI get_schemaURL() {
    return SCHEMA_URL;
  }

  public String getRunId() {
    return runId;
  }

  public String getPolicyId() {
    return policyId;
  }

  public String getPolicySha256() {
    return policySha256;
  }

  public Long getCandidates() {
    return candidates;
  }

  public Long getEligible() {
    return eligible;
  }

  public Long getExcluded() {
    return excluded;
  }

  public Map<String, Long> getExcludedByReason() {
    return excludedByReason;
  }

  public String getManifestDigest() {
    return manifestDigest;
  }

  public String getPreviousManifestDigest() {
    return previousManifestDigest;
  }
}
