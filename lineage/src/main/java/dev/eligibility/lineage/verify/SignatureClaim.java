package dev.eligibility.lineage.verify;

import dev.eligibility.lineage.RunManifest;

/**
 * {@link Claim#SIGNATURE}: the envelope is signed by a trusted key. Opening the manifest checks
 * the signature against the trusted keys themselves (the key id is never consulted); an unsigned
 * manifest holds only by the reviewer's leave.
 */
public final class SignatureClaim {

  private SignatureClaim() {}

  /** The result for a manifest that opened; {@code allowUnsigned} is the reviewer's leave. */
  public static ClaimResult check(RunManifest.Opened opened, boolean allowUnsigned) {
    if (opened.signed()) {
      return ClaimResult.holds(Claim.SIGNATURE, "Ed25519 signature over the DSSE envelope verifies with a trusted key");
    }
    return allowUnsigned
        ? ClaimResult.noted(Claim.SIGNATURE,
            "UNSIGNED (run with --unsigned; accepted by --allow-unsigned): nothing vouches for it")
        : ClaimResult.fails(Claim.SIGNATURE, "UNSIGNED: the run was started with --unsigned and nothing vouches for"
            + " the manifest (--allow-unsigned checks the rest anyway)");
  }

  /** The result for a manifest that could not be opened or whose signature does not verify. */
  public static ClaimResult failed(RunManifest.ManifestException e) {
    return ClaimResult.fails(Claim.SIGNATURE, e.getMessage());
  }
}
