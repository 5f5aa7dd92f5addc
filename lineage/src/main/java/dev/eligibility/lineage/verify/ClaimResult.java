package dev.eligibility.lineage.verify;

import java.util.Objects;

/**
 * What checking one claim found.
 *
 * @param claim the claim
 * @param outcome whether it holds
 * @param detail what was compared, or why it fails; never a payload value
 */
public record ClaimResult(Claim claim, Outcome outcome, String detail) {

  /** How a claim came out. */
  public enum Outcome {
    HOLDS,
    /** Holds only by the reviewer's leave ({@code --allow-unsigned}, {@code --historical}). */
    NOTED,
    FAILS,
    /** Could not be checked because a claim it depends on failed; counts as not holding. */
    NOT_CHECKED
  }

  public ClaimResult {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  public static ClaimResult holds(Claim claim, String detail) {
    return new ClaimResult(claim, Outcome.HOLDS, detail);
  }

  public static ClaimResult noted(Claim claim, String detail) {
    return new ClaimResult(claim, Outcome.NOTED, detail);
  }

  public static ClaimResult fails(Claim claim, String detail) {
    return new ClaimResult(claim, Outcome.FAILS, detail);
  }

  public static ClaimResult notChecked(Claim claim, String detail) {
    return new ClaimResult(claim, Outcome.NOT_CHECKED, detail);
  }

  /** Whether the claim counts as holding. */
  public boolean passed() {
    return outcome == Outcome.HOLDS || outcome == Outcome.NOTED;
  }
}
