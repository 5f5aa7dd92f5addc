package dev.eligibility.lineage.verify;

/** The claims a manifest makes, in the order {@code lineage verify} checks them. */
public enum Claim {
  SIGNATURE("the envelope is signed by a trusted key"),
  IDENTITY("the manifest is the one committed for its run id under its output root"),
  CHAIN("the previous-manifest link names the manifest committed before it"),
  FRESHNESS("the tables' latest versions are the ones the manifest pins"),
  OUTPUTS("eligible/ and exclusions/ at the pinned versions hash to the recorded digests and Merkle root"),
  INPUTS("every input at its pinned version or files still hashes the same"),
  POLICY("the policy file still has the recorded SHA-256 and parameters"),
  EVALUATION("the recorded policy over the pinned inputs gives exactly the recorded outputs"),
  NEGATIVE_CLAIMS("the eligible set holds none of the rows the negative claims exclude");

  private final String meaning;

  Claim(String meaning) {
    this.meaning = meaning;
  }

  /** The claim in one sentence. */
  public String meaning() {
    return meaning;
  }

  /** The claim's name on the console: lower case, dashes. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
