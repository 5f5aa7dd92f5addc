package dev.eligibility.jobs.policy;

/**
 * An organization's consent at one instant, in one scope or combined. Consent events carry
 * {@link #OPT_IN} or {@link #OPT_OUT}; {@link #NONE} is the state before any event.
 */
public enum ConsentState {
  OPT_IN,
  OPT_OUT,
  NONE;

  /** The decisions a consent event may carry. */
  public static java.util.List<String> decisions() {
    return java.util.List.of(OPT_IN.name(), OPT_OUT.name());
  }
}
