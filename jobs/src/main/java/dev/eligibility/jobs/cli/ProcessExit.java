package dev.eligibility.jobs.cli;

import org.apache.spark.sql.SparkSession;

/**
 * How a command line's {@code main} ends, so that every deploy mode reports the outcome: on
 * success it stops Spark and returns (under YARN cluster mode a {@code System.exit} before the
 * application master records the final status is reported as a failure); on failure it exits
 * with the failure's code where a process exit code reaches the caller (a local launcher,
 * {@code spark-submit} in client mode, a Kubernetes driver pod), and throws where it does not
 * (cluster deploy mode on YARN or standalone), so the cluster manager marks the application failed.
 */
final class ProcessExit {

  /** Thrown from {@code main} in cluster deploy mode: the failure's exit code and that its message was printed. */
  static final class CommandFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailed(int exitCode) {
      super("the command failed with exit code " + exitCode + " (the error above says why)");
    }
  }

  private ProcessExit() {}

  static void finish(int exitCode) {
    if (exitCode == 0) {
      SparkSession.getDefaultSession().foreach(session -> {
        session.stop();
        return null;
      });
      return;
    }
    if ("cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      throw new CommandFailed(exitCode);
    }
    System.exit(exitCode);
  }
}
