package dev.eligibility.lineage;

import java.time.Instant;
import java.util.Objects;

/**
 * Identity and timing of one run.
 *
 * @param runId the run's id, unique per output root
 * @param purpose {@code BASE_MODEL} or {@code FINE_TUNE}
 * @param fineTuneOrgId the organization a {@code FINE_TUNE} run is for; null otherwise
 * @param asOf the instant at which the world was judged
 * @param startedAt when the run started
 * @param endedAt when the run finished writing its outputs
 * @param sparkVersion the Spark version that executed the run
 * @param sparkApplicationId the Spark application id, to find the run in cluster logs
 */
public record RunInfo(
    String runId,
    String purpose,
    String fineTuneOrgId,
    Instant asOf,
    Instant startedAt,
    Instant endedAt,
    String sparkVersion,
    String sparkApplicationId) {

  public RunInfo {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
  }
}
