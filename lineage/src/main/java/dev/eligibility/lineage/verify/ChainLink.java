package dev.eligibility.lineage.verify;

import dev.eligibility.lineage.RunManifest;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of {@link Claim#CHAIN} that needs only manifests: the link a manifest names agrees with
 * the one its output root registered, and the manifest it links to is there and verifies. Where
 * the runs stand in the output root's order is for the caller, which holds the registry.
 */
public final class ChainLink {

  private ChainLink() {}

  /** Whether the previous-manifest digest in the manifest is the one the registry holds for it. */
  public static Optional<ClaimResult> disagreement(String inManifest, String inRegistry) {
    return Objects.equals(inManifest, inRegistry)
        ? Optional.empty()
        : Optional.of(ClaimResult.fails(Claim.CHAIN, "the manifest names previous " + inManifest + ", the registry "
            + inRegistry));
  }

  /**
   * The result for the linked manifest's bytes ({@code previousRunId} names it in messages): it
   * must be present, open with a trusted key and be signed unless the reviewer allows unsigned.
   */
  public static ClaimResult check(String previousRunId, String previousDigest, Optional<byte[]> previousBytes,
      List<PublicKey> trustedKeys, boolean allowUnsigned) {
    if (previousBytes.isEmpty()) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + previousRunId + ", " + previousDigest
          + ") is missing from manifests/");
    }
    try {
      RunManifest.Opened previous = RunManifest.open(previousBytes.get(), trustedKeys);
      if (!previous.signed() && !allowUnsigned) {
        return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + previousRunId + ") is UNSIGNED");
      }
    } catch (RunManifest.ManifestException e) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + previousRunId + ") does not verify: "
          + e.getMessage());
    }
    return ClaimResult.holds(Claim.CHAIN, "links to run " + previousRunId + " (manifest " + previousDigest + ")");
  }
}
