package dev.eligibility.jobs.output;

import org.apache.hadoop.fs.Path;

/**
 * Where a run's outputs live under {@code output.root}.
 *
 * @param root the output root, a local path or a URI
 */
public record OutputLayout(String root) {

  public static final String ELIGIBLE = "eligible";
  public static final String EXCLUSIONS = "exclusions";
  public static final String MANIFESTS = "manifests";

  public String eligible() {
    return child(ELIGIBLE);
  }

  public String exclusions() {
    return child(EXCLUSIONS);
  }

  public Path manifestsDir() {
    return new Path(child(MANIFESTS));
  }

  /** The run record of {@code runId}. Run ids are restricted to a file-name-safe alphabet. */
  public Path manifest(String runId) {
    return new Path(manifestsDir(), runId + ".json");
  }

  private String child(String name) {
    return root.endsWith("/") ? root + name : root + "/" + name;
  }
}
