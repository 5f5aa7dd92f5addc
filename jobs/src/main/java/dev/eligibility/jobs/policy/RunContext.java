package dev.eligibility.jobs.policy;

import dev.eligibility.jobs.spec.Purpose;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run judges by, besides its data.
 *
 * @param purpose what the dataset trains
 * @param fineTuneOrgId the organization of a {@code FINE_TUNE} run
 * @param asOf the instant the world is judged at
 * @param policy the policy parameters
 */
public record RunContext(Purpose purpose, Optional<String> fineTuneOrgId, Instant asOf, PolicyParameters policy) {

  public RunContext {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(fineTuneOrgId, "fineTuneOrgId");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(policy, "policy");
    if (purpose == Purpose.FINE_TUNE && fineTuneOrgId.isEmpty()) {
      throw new IllegalArgumentException("a FINE_TUNE run needs an organization");
    }
  }
}
