package dev.eligibility.jobs.verify;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.decision.Decision;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.run.EligibleRowsPass;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.RunRecord;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The recorded policy applied afresh to the inputs as the run read them: what the evaluation and
 * the negative claims are checked against. The eligible rows are digested by the same single pass
 * over the payload a run makes, into Spark's {@code noop} sink; where the eligible set differs
 * from the stored one, how many rows each side has that the other lacks.
 *
 * @param counts the counts by reason and source kind
 * @param negativeClaims the negative claims over the fresh eligible set
 * @param eligibleDigest digest of the fresh eligible rows
 * @param exclusionsDigest digest of the fresh exclusion rows
 * @param difference rows stored but not eligible and eligible but not stored, when the sets differ
 */
record Reevaluation(DecisionCounts counts, NegativeClaims negativeClaims, String eligibleDigest,
    String exclusionsDigest, Optional<Difference> difference) {

  /** How the stored eligible set differs from the fresh one. */
  record Difference(long storedButExcluded, long allowedButMissing) {}

  static Reevaluation of(VerifiedManifest manifest, InputTables inputs, PolicyParameters policy) {
    RunRecord record = manifest.record();
    RunContext context = new RunContext(Purpose.valueOf(record.run().purpose()),
        Optional.ofNullable(record.run().fineTuneOrgId()), record.run().asOf(), policy);
    try (Decision fresh = Decision.of(inputs, context, record.run().runId(), record.digestAlgorithm())) {
      EligibleRowsPass pass = EligibleRowsPass.of(manifest.spark(), inputs.corpus(), fresh.eligibleIds(), record.run().runId(),
          record.digestAlgorithm(), Optional.empty());
      pass.consumeWithoutWriting();
      DecisionCounts counts = fresh.tally().counts();
      String eligibleDigest = pass.digests(counts.eligible()).eligible();
      Optional<Difference> difference = Optional.empty();
      // The digest binds every eligible row, id and content; a v6 record's weaker digest is backed by its root of ids.
      if (!eligibleDigest.equals(manifest.eligible().datasetDigest())
          || (fresh.merkleRoot() != null && !fresh.merkleRoot().equals(manifest.eligible().merkleRoot()))) {
        Dataset<Row> freshIds = fresh.eligibleIds();
        Dataset<Row> storedIds = manifest.atVersion(manifest.eligible()).select(col("record_id"));
        difference = Optional.of(new Difference(
            storedIds.join(freshIds, storedIds.col("record_id").equalTo(freshIds.col("record_id")), "left_anti").count(),
            freshIds.join(storedIds, freshIds.col("record_id").equalTo(storedIds.col("record_id")), "left_anti").count()));
      }
      return new Reevaluation(counts, fresh.tally().negativeClaims(), eligibleDigest, fresh.exclusionsDigest(), difference);
    }
  }
}
