package dev.eligibility.jobs.publication;

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
  public static final String REGISTRY = "registry";
  public static final String EVIDENCE = "evidence";
  public static final String DECISIONS = "decisions";

  /**
   * The layout of the root a run wrote to, from the location of its {@code eligible/} output (the
   * manifest names every output's location, so a reviewer holding only the manifest finds the rest).
   */
  public static OutputLayout of(dev.eligibility.lineage.RunRecord record) {
    String eligible = record.output(ELIGIBLE)
        .orElseThrow(() -> new IllegalArgumentException("run record names no " + ELIGIBLE + " output")).path();
    return new OutputLayout(eligible.substring(0, eligible.length() - ("/" + ELIGIBLE).length()));
  }

  public String eligible() {
    return child(ELIGIBLE);
  }

  public String exclusions() {
    return child(EXCLUSIONS);
  }

  public Path manifestsDir() {
    return new Path(child(MANIFESTS));
  }

  public String registryRuns() {
    return child(REGISTRY + "/runs");
  }

  /** Every run's evidence: eligible record ids and row digests, no payload (see {@link RunEvidence}). */
  public String evidence() {
    return child(EVIDENCE);
  }

  /** Every corpus row's keys, facts and reasons as the last run decided them: where an incremental run starts. */
  public String decisions() {
    return child(DECISIONS);
  }

  public String registryRunOrganizations() {
    return child(REGISTRY + "/run_organizations");
  }

  /**
   * Where a run's eligible pass keeps its rows' Merkle leaves until the root is computed
   * ({@code LeafFiles}). One run at a time holds the root, so the folder is the running run's: it
   * deletes what a failed run left there before its pass, and its own leaves before its manifest.
   */
  public String merkleLeaves() {
    return child("_merkle_leaves");
  }

  /** The one-row table that says which run holds the root (see {@link OutputRootClaim}). */
  public String registryClaim() {
    return child(REGISTRY + "/claim");
  }

  /** Where a manifest replaced by a re-run of its run id is kept, named by its digest. */
  public Path supersededManifest(String runId, String manifestDigest) {
    return new Path(new Path(manifestsDir(), "superseded"), runId + "." + manifestDigest + ".json");
  }

  /** The run record of {@code runId}. Run ids are restricted to a file-name-safe alphabet. */
  public Path manifest(String runId) {
    return new Path(manifestsDir(), runId + ".json");
  }

  private String child(String name) {
    return root.endsWith("/") ? root + name : root + "/" + name;
  }
}
