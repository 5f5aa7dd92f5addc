package dev.eligibility.jobs.review;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.ConsentIntervals;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.policy.ConsentState;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OrganizationReceipt;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Makes an organization's receipt for a committed run ({@link OrganizationReceipt}): its rows per
 * outcome from the run's outputs, the consent state from the run's {@code consent_events} read as
 * the run read it (same version, same digest, else no receipt), and a proof per record id.
 */
public final class OrganizationReceipts {

  /** Projects listed at most for one organization; more is an error rather than a huge receipt. */
  static final int MAX_PROJECTS = 10_000;

  private final SparkSession spark;

  public OrganizationReceipts(SparkSession spark) {
    this.spark = spark;
  }

  /** The receipt of {@code organizationId} for the run of {@code record} (manifest {@code manifestDigest}). */
  public OrganizationReceipt make(RunRecord record, String manifestDigest, String organizationId, List<String> recordIds,
      Instant now) {
    OrganizationOutcomes.Organization rows = OrganizationOutcomes.of(spark, record, manifestDigest).of(organizationId);
    OrganizationReceipt.ConsentSeen consent = consentSeen(record, organizationId);
    MembershipProofs prover = new MembershipProofs(spark, record, manifestDigest);
    List<MembershipProof> proofs = new ArrayList<>();
    for (String recordId : recordIds) {
      proofs.add(prover.prove(recordId));
    }
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    return new OrganizationReceipt(record.run().runId(), record.run().purpose(), record.run().asOf(), manifestDigest,
        organizationId, rows.eligible(), rows.excluded(), rows.excludedByReason(), consent, eligible.merkleRoot(),
        eligible.rowCount(), proofs, now);
  }

  /** The consent state of {@code organizationId} at the run's as_of, from consent_events as the run read it. */
  OrganizationReceipt.ConsentSeen consentSeen(RunRecord record, String organizationId) {
    InputSnapshot snapshot = record.inputs().stream().filter(i -> i.table().equals(Contracts.CONSENT_EVENTS.table()))
        .findFirst().orElseThrow(() -> Errors.specConflict("run record", "it names no consent_events input"));
    TableFormat format = TableFormat.fromKey(snapshot.format())
        .orElseThrow(() -> Errors.specConflict("run record", "consent_events has unknown format " + snapshot.format()));
    BoundTable events = new TableReader(spark, record.digestAlgorithm()).read(new TableInput(snapshot.name(), snapshot.path(), format),
        Contracts.CONSENT_EVENTS, Optional.ofNullable(snapshot.deltaVersion()));
    if (events.rowCount() != snapshot.rowCount() || !events.datasetDigest().orElse("").equals(snapshot.datasetDigest())) {
      throw Errors.specConflict(snapshot.path(), "consent_events is no longer as run " + record.run().runId()
          + " read it (now " + events.rowCount() + " rows with digest " + events.datasetDigest().orElse("-")
          + "; the manifest records " + snapshot.rowCount() + " rows with digest " + snapshot.datasetDigest()
          + "), so the consent state it saw cannot be shown");
    }
    Instant asOf = record.run().asOf();
    Dataset<Row> ofOrganization = events.rows().filter(col("org_id").equalTo(lit(organizationId)));
    Dataset<Row> visible = ConsentIntervals.visibleEvents(ofOrganization, asOf);
    long visibleEvents = visible.count();
    long malformed = visible.filter(coalesce(ConsentIntervals.malformed(), lit(true))).count();
    List<Row> scopes = ConsentIntervals.build(ofOrganization, asOf)
        .select(ConsentIntervals.PROJECT, ConsentIntervals.STATE_AT_AS_OF).distinct()
        .limit(MAX_PROJECTS + 1).collectAsList();
    if (scopes.size() > MAX_PROJECTS) {
      throw Errors.specConflict(snapshot.path(), "organization " + organizationId + " has more than " + MAX_PROJECTS
          + " projects with consent events; a receipt lists each");
    }
    String organization = ConsentState.NONE.name();
    Map<String, String> projects = new TreeMap<>();
    for (Row scope : scopes) {
      if (scope.isNullAt(0)) {
        organization = scope.getString(1);
      } else {
        projects.put(scope.getString(0), scope.getString(1));
      }
    }
    return new OrganizationReceipt.ConsentSeen(organization, projects, visibleEvents, malformed);
  }
}
