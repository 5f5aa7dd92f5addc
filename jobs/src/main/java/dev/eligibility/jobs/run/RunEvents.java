package dev.eligibility.jobs.run;

import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.lineage.RunRecord;
import java.time.Instant;

/**
 * What a run tells a lineage service as it goes: that it started, and that it committed or failed.
 * Observers never stop a run: an event that cannot be sent is logged and the run goes on.
 */
public interface RunEvents {

  /** The run's checks passed and it is about to read its inputs. */
  void started(RunSpec spec, RunContext context, Instant startedAt);

  /** The run committed: {@code record} is its manifest's run record, {@code manifestDigest} its SHA-256. */
  void completed(RunSpec spec, RunRecord record, String manifestDigest);

  /** The run failed after it started; {@code error} is what stopped it. */
  void failed(RunSpec spec, RunContext context, Instant startedAt, Throwable error);

  /** Events that go nowhere. */
  RunEvents NONE = new RunEvents() {
    @Override
    public void started(RunSpec spec, RunContext context, Instant startedAt) {}

    @Override
    public void completed(RunSpec spec, RunRecord record, String manifestDigest) {}

    @Override
    public void failed(RunSpec spec, RunContext context, Instant startedAt, Throwable error) {}
  };
}
