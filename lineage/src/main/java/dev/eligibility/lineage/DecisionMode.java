package dev.eligibility.lineage;

import java.util.Objects;

/**
 * How a run decided its rows, and where it left the decided rows for the next run.
 *
 * <p>A {@code FULL} run decides every corpus row. An {@code INCREMENTAL} run starts from the
 * decided rows of its base run (the run committed last under the same output root, with the same
 * policy, inputs and build and an earlier {@code as_of}) and decides again only the rows whose
 * decision can have changed since; its outputs equal a full run's. Either kind keeps every corpus
 * row's keys, facts and reasons (never the payload) in the table {@code statePath} at version
 * {@code stateVersion}, where the next incremental run starts.
 *
 * @param mode {@code FULL} or {@code INCREMENTAL}
 * @param reason for a full run, why it was not incremental; null for an incremental one
 * @param baseRunId the run an incremental run started from; null for a full run
 * @param baseManifestDigest hex SHA-256 of the base run's manifest; null for a full run
 * @param redecidedRows corpus rows decided by this run's rules (all rows for a full run)
 * @param statePath the table of decided rows
 * @param stateVersion its version holding this run's decided rows
 */
public record DecisionMode(
    String mode, String reason, String baseRunId, String baseManifestDigest, long redecidedRows, String statePath,
    long stateVersion) {

  public static final String FULL = "FULL";
  public static final String INCREMENTAL = "INCREMENTAL";

  public DecisionMode {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(statePath, "statePath");
    if (!mode.equals(FULL) && !mode.equals(INCREMENTAL)) {
      throw new IllegalArgumentException("decision mode must be FULL or INCREMENTAL, not " + mode);
    }
    if (mode.equals(INCREMENTAL) && (baseRunId == null || baseManifestDigest == null)) {
      throw new IllegalArgumentException("an incremental run names its base run and manifest");
    }
  }

  public boolean incremental() {
    return mode.equals(INCREMENTAL);
  }
}
