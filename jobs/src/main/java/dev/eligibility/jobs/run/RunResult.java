package dev.eligibility.jobs.run;

import dev.eligibility.lineage.RunRecord;
import java.time.Duration;
import java.util.Objects;

/**
 * What a committed run leaves for its caller.
 *
 * @param record the run record, as written
 * @param manifest where the run record was written
 * @param elapsed wall-clock time of the whole run
 * @param largestOrganizations the organizations with the most eligible rows (at most
 *     {@link #LARGEST_ORGANIZATIONS}), for the console; every count is in the run registry
 */
public record RunResult(RunRecord record, String manifest, Duration elapsed,
    java.util.Map<String, Long> largestOrganizations) {

  /** How many organizations the console names. */
  public static final int LARGEST_ORGANIZATIONS = 10;

  public RunResult {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(elapsed, "elapsed");
    largestOrganizations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(largestOrganizations));
  }
}
