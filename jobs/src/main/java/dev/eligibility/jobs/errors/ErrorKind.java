package dev.eligibility.jobs.errors;

/** What kind of failure stopped a run; each maps to its own process exit code. */
public enum ErrorKind {
  /** The command line, the run spec or the policy file is wrong. Nothing was read. */
  SPEC(2),
  /** An input table does not meet the data contract. Nothing was written. */
  INPUT(3),
  /** The run id was already committed under the output root and {@code --replace} was not given. */
  CONFLICT(4),
  /** Spark, the file system or the network failed. The run may be retried. */
  INFRASTRUCTURE(5),
  /** Another run holds the output root. It wrote nothing; retry when that run has ended. */
  BUSY(6),
  /** The run's figures moved past a drift limit against the runs before it. It wrote nothing. */
  DRIFT(7);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
