package dev.eligibility.jobs.errors;

/**
 * The one user-facing exception. Its message is complete and safe to print: it names the
 * offending key, table or column and never carries corpus content.
 */
public final class EligibilityException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;

  EligibilityException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
