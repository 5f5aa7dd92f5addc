package dev.eligibility.jobs.verify;

import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;

import java.util.List;
import java.util.Optional;

/**
 * Every claim of one manifest and what checking it found.
 *
 * @param runId the run the manifest is of; empty when the manifest could not be opened
 * @param manifestDigest hex SHA-256 of the manifest file
 * @param results one result per {@link Claim}, in claim order
 */
public record VerificationReport(Optional<String> runId, String manifestDigest, List<ClaimResult> results) {

  public VerificationReport {
    results = List.copyOf(results);
  }

  /** True when every claim holds: the only case in which {@code lineage verify} exits 0. */
  public boolean holds() {
    return results.stream().allMatch(ClaimResult::passed);
  }

  /** The claims that do not hold, in claim order. */
  public List<ClaimResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /** The result for {@code claim}. */
  public ClaimResult result(Claim claim) {
    return results.stream().filter(r -> r.claim() == claim).findFirst().orElseThrow();
  }
}
