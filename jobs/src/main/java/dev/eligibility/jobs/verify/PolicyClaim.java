package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.Optional;

/**
 * {@link Claim#POLICY}: the policy file the run used (bundled or on disk) still has the recorded
 * SHA-256, policy id and parameters.
 */
final class PolicyClaim {

  /** The result and, when it holds, the policy as recorded. */
  record Checked(ClaimResult result, Optional<PolicyParameters> policy) {}

  private PolicyClaim() {}

  static Checked check(RunRecord record) {
    String source = record.policy().source();
    PolicyParameters policy;
    try {
      policy = PolicyFile.fromSource(source);
    } catch (RuntimeException e) {
      return new Checked(ClaimResult.fails(Claim.POLICY, "the policy file " + source + " cannot be read: "
          + firstLine(e.getMessage())), Optional.empty());
    }
    if (!policy.sha256().equals(record.policy().sha256())) {
      return new Checked(ClaimResult.fails(Claim.POLICY, "the policy file " + source + " has SHA-256 "
          + policy.sha256() + "; the manifest records " + record.policy().sha256() + ": it was edited after the run"), Optional.empty());
    }
    if (!policy.policyId().equals(record.policy().policyId()) || !policy.asText().equals(record.policy().parameters())) {
      return new Checked(ClaimResult.fails(Claim.POLICY, "the policy file " + source
          + " has the recorded bytes but other parameters than the manifest records"), Optional.empty());
    }
    return new Checked(ClaimResult.holds(Claim.POLICY, policy.policyId() + " from " + source + ", SHA-256 as recorded"),
        Optional.of(policy));
  }


  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse(message);
  }
}
