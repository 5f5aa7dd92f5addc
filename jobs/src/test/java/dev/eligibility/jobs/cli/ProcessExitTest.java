package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** In cluster deploy mode a failed command throws from main (the cluster manager marks it failed) instead of exiting. */
class ProcessExitTest {

  @Test
  void aFailureInClusterDeployModeThrowsWithItsExitCode() {
    String before = System.getProperty("spark.submit.deployMode");
    System.setProperty("spark.submit.deployMode", "cluster");
    try {
      assertThatThrownBy(() -> ProcessExit.finish(3)).isInstanceOf(ProcessExit.CommandFailed.class)
          .hasMessage("the command failed with exit code 3 (the error above says why)");
    } finally {
      if (before == null) {
        System.clearProperty("spark.submit.deployMode");
      } else {
        System.setProperty("spark.submit.deployMode", before);
      }
    }
  }
}
