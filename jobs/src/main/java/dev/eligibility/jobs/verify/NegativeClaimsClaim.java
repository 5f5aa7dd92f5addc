package dev.eligibility.jobs.verify;

import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;

/**
 * {@link Claim#NEGATIVE_CLAIMS}: the eligible set holds none of the rows the negative claims
 * exclude, as recorded and as re-evaluated. A manifest that itself records a non-zero claim fails
 * even when nothing could be re-evaluated.
 */
final class NegativeClaimsClaim {

  private NegativeClaimsClaim() {}

  static ClaimResult check(NegativeClaims recorded, Reevaluation fresh) {
    return recorded.allHold() && fresh.negativeClaims().allHold()
        ? ClaimResult.holds(Claim.NEGATIVE_CLAIMS, "recorded as zero and zero in the re-evaluated eligible set")
        : ClaimResult.fails(Claim.NEGATIVE_CLAIMS, "recorded " + recorded + "; re-evaluated " + fresh.negativeClaims());
  }

  /** The result when nothing could be re-evaluated, for {@code why}. */
  static ClaimResult notReevaluated(NegativeClaims recorded, String why) {
    return recorded.allHold()
        ? ClaimResult.notChecked(Claim.NEGATIVE_CLAIMS, "recorded as zero, but " + why)
        : ClaimResult.fails(Claim.NEGATIVE_CLAIMS, "the manifest itself records " + recorded);
  }
}
