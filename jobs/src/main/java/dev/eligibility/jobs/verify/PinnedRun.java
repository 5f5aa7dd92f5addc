package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.lineage.RunRecord;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * A committed run's inputs and judgement, as it had them: every input at the version (or with
 * the files) its manifest pins, each still giving the recorded digest, and the recorded policy,
 * purpose, organization and {@code as_of}. What {@code explain --manifest} traces a record with;
 * refused, naming what changed, when the run's view can no longer be had.
 */
public record PinnedRun(RunContext context, InputTables inputs) {

  public static PinnedRun of(SparkSession spark, RunRecord record, String manifest) {
    PolicyClaim.Checked policy = PolicyClaim.check(record);
    PolicyParameters parameters = policy.policy()
        .orElseThrow(() -> Errors.specConflict(manifest, policy.result().detail()));
    InputsClaim.Checked inputs = InputsClaim.check(spark, record);
    InputTables tables = inputs.inputs().orElseThrow(() -> Errors.specConflict(manifest,
        "the run's inputs cannot be read as it read them: " + inputs.result().detail()));
    RunContext context = new RunContext(Purpose.valueOf(record.run().purpose()),
        Optional.ofNullable(record.run().fineTuneOrgId()), record.run().asOf(), parameters);
    return new PinnedRun(context, tables);
  }
}
