package dev.eligibility.jobs.run;

/**
 * Faults the fault-injection tests ask for; without their system properties (every real run)
 * nothing happens.
 *
 * <ul>
 *   <li>Named points between a run's stages where the driver stops as a crash would:
 *       {@code -Deligibility.faultInjection.haltAt=<point>} halts the JVM there with exit code 137,
 *       running no shutdown hook and no {@code finally} block, as {@code kill -9} or a lost node.
 *   <li>A straggler for speculative execution: on an executor started with
 *       {@code -Deligibility.faultInjection.slowFirstAttemptSeconds=N}, the first attempt of the
 *       first partition of the eligible pass (which digests and writes the eligible rows) sleeps N seconds.
 * </ul>
 */
public final class FaultInjection {

  public static final String PROPERTY = "eligibility.faultInjection.haltAt";

  public static final String AFTER_READ = "after-read";
  public static final String AFTER_DECIDE = "after-decide";
  public static final String AFTER_ELIGIBLE_COMMIT = "after-eligible-commit";
  public static final String AFTER_EXCLUSIONS_COMMIT = "after-exclusions-commit";
  public static final String AFTER_REGISTRY = "after-registry";
  public static final String AFTER_MANIFEST = "after-manifest";

  public static final String SLOW_FIRST_ATTEMPT = "eligibility.faultInjection.slowFirstAttemptSeconds";

  private FaultInjection() {}

  /** Executor side: makes the running task a straggler if asked to (see the class comment). */
  static void slowFirstAttemptIfAsked() {
    String seconds = System.getProperty(SLOW_FIRST_ATTEMPT);
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    if (seconds == null || task == null || task.partitionId() != 0 || task.attemptNumber() != 0) {
      return;
    }
    try {
      Thread.sleep(Long.parseLong(seconds) * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // killed because another attempt succeeded
    }
  }

  static void haltIfAt(String point) {
    if (point.equals(System.getProperty(PROPERTY))) {
      System.err.println("fault injection: the driver halts " + point);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
