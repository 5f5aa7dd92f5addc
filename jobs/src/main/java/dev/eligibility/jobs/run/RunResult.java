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
 */
public record RunResult(RunRecord record, String manifest, Duration elapsed) {

  public RunResult {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(elapsed, "elapsed");
  }
}
