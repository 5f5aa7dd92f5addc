package dev.eligibility.jobs.run;

/**
 * Named points between a run's stages where the fault-injection tests stop the driver as a crash
 * would: {@code -Deligibility.faultInjection.haltAt=<point>} halts the JVM there with exit code
 * 137, running no shutdown hook and no {@code finally} block, as {@code kill -9} or a lost node
 * does. Without the property (every real run) nothing happens.
 */
public final class FaultInjection {

  public static final String PROPERTY = "eligibility.faultInjection.haltAt";

  public static final String AFTER_READ = "after-read";
  public static final String AFTER_DECIDE = "after-decide";
  public static final String AFTER_ELIGIBLE_COMMIT = "after-eligible-commit";
  public static final String AFTER_EXCLUSIONS_COMMIT = "after-exclusions-commit";
  public static final String AFTER_REGISTRY = "after-registry";
  public static final String AFTER_MANIFEST = "after-manifest";

  private FaultInjection() {}

  static void haltIfAt(String point) {
    if (point.equals(System.getProperty(PROPERTY))) {
      System.err.println("fault injection: the driver halts " + point);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
