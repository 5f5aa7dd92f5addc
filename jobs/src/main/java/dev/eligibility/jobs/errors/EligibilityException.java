package dev.eligibility.jobs.errors;

import dev.eligibility.lineage.DriftCheck;
import java.util.Optional;

/**
 * The one user-facing exception. Its message is complete and safe to print: it names the
 * offending key, table or column and never carries corpus content.
 */
public final class EligibilityException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final transient DriftCheck drift;

  EligibilityException(ErrorKind kind, String message, Throwable cause) {
    this(kind, message, cause, null);
  }

  EligibilityException(ErrorKind kind, String message, Throwable cause, DriftCheck drift) {
    super(message, cause);
    this.kind = kind;
    this.drift = drift;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** For a run stopped by its drift gate: the check that stopped it. */
  public Optional<DriftCheck> drift() {
    return Optional.ofNullable(drift);
  }
}
