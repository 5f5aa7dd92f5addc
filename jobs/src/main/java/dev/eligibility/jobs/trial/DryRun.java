package dev.eligibility.jobs.trial;

import dev.eligibility.jobs.decision.Decision;
import dev.eligibility.jobs.decision.DecisionTally;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.drift.DriftLimits;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.publication.CatalogRegistration;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunHistory;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.review.RunDiff;
import dev.eligibility.jobs.run.BuildInfo;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.Progress;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.DriftCheck;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OrganizationCounts;
import dev.eligibility.lineage.PolicyInfo;
import dev.eligibility.lineage.RunInfo;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.UpstreamWarning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decisions that write nothing: a dry run of a spec (every row decided as a run would, its drift
 * check made against the root's history and reported, the summary printed; the output root is
 * read, never claimed or written), and a policy trial (the same
 * pinned inputs decided under the spec's policy and under a candidate, and the rows whose outcome
 * would change). Neither sends lineage events.
 */
public final class DryRun {

  /** Where a dry run's summary says its decisions were kept: nowhere. */
  public static final String NOT_KEPT = "(nothing kept: dry run)";

  /**
   * What a dry run decided, as the record a run would have written but without outputs, digests of
   * the corpus (the eligible pass computes those) or a place in any chain.
   */
  public record Result(RunRecord unwritten, Duration elapsed, Map<String, Long> largestOrganizations) {}

  private final SparkSession spark;
  private final Clock clock;
  private final Progress progress;
  private final DriftLimits driftLimits;

  public DryRun(SparkSession spark, Clock clock, Progress progress, DriftLimits driftLimits) {
    this.spark = spark;
    this.clock = clock;
    this.progress = progress;
    this.driftLimits = driftLimits;
  }

  /** Decides every row of {@code spec}'s inputs as its run would, and writes nothing. */
  public Result decide(RunSpec spec) {
    Instant started = clock.instant().truncatedTo(ChronoUnit.MICROS);
    progress.started(1, 3, "Checking spec and policy (dry run: nothing will be written)");
    PolicyParameters policy = EligibilityRun.policyOf(spec);
    RunContext context = EligibilityRun.contextOf(spec, policy, started);
    // The catalog names a run would register: a name the run would refuse, the dry run refuses.
    OutputLayout layout = new OutputLayout(spec.outputRoot());
    new CatalogRegistration(spark, spec.catalogTables(), layout, spec.source()).check();
    progress.finished("policy " + policy.policyId() + ", as_of " + context.asOf());
    InputTables inputs = read(spec, 2, 3);
    progress.started(3, 3, "Deciding eligibility");
    try (Decision decision = Decision.of(inputs, context, spec.runId())) {
      DecisionTally tally = decision.tally();
      if (!tally.negativeClaims().allHold()) {
        throw Errors.claimBroken(spec.runId(), tally.negativeClaims().toString());
      }
      List<UpstreamWarning> warnings = EligibilityRun.warnings(inputs, context, tally);
      Dataset<Row> byOrganization = DecisionTally.eligibleRowsByOrganization(decision.decided()).persist();
      try {
        RowDigests.TableDigest organizations = RowDigests.digest(byOrganization, DecisionTally.ORGANIZATION_ID);
        progress.finished(tally.counts().eligible() + " eligible, " + tally.counts().excluded() + " excluded");
        // The drift check a run would make, reported rather than enforced: nothing is written anyway.
        EligibilityRun run = new EligibilityRun(spark, clock, progress).withDriftLimits(driftLimits);
        DriftCheck drift = run.drift().check(EligibilityRun.figures(spec, inputs, tally, organizations.count()),
            run.history(new RunHistory(new RunRegistry(spark, layout),
                new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration()))), spec.acceptDrift());
        Instant ended = clock.instant().truncatedTo(ChronoUnit.MICROS);
        RunRecord unwritten = new RunRecord(RunRecord.FORMAT_VERSION,
            new RunInfo(spec.runId(), spec.purpose().name(), spec.fineTuneOrgId().orElse(null), context.asOf(), started,
                ended, spark.version(), spark.sparkContext().applicationId()),
            new PolicyInfo(policy.policyId(), policy.source(), policy.sha256(), policy.asText()),
            inputs.all().stream().map(DryRun::snapshot).toList(),
            List.of(),
            tally.counts(),
            warnings,
            tally.negativeClaims(),
            new OrganizationCounts(organizations.count(), organizations.hex()),
            new DecisionMode(DecisionMode.FULL, "dry run: every row decided, nothing written", null, null,
                tally.counts().candidates(), NOT_KEPT, -1),
            drift,
            BuildInfo.codeVersion(),
            null);
        return new Result(unwritten, Duration.between(started, clock.instant()), EligibilityRun.largest(byOrganization));
      } finally {
        byOrganization.unpersist();
      }
    }
  }

  /**
   * Decides {@code spec}'s inputs, read once, under its own policy and under {@code candidate},
   * and hands the difference to {@code use} while both decisions are held.
   */
  public <T> T tryPolicy(RunSpec spec, PolicyParameters candidate, java.util.function.Function<RunDiff, T> use) {
    Instant started = clock.instant().truncatedTo(ChronoUnit.MICROS);
    progress.started(1, 3, "Checking spec and both policies (nothing will be written)");
    PolicyParameters current = EligibilityRun.policyOf(spec);
    RunContext now = EligibilityRun.contextOf(spec, current, started);
    RunContext trial = EligibilityRun.contextOf(spec, candidate, started);
    progress.finished("policy " + current.policyId() + " against candidate " + candidate.policyId() + ", as_of "
        + now.asOf());
    InputTables inputs = read(spec, 2, 3);
    progress.started(3, 3, "Deciding under both policies");
    Decision.Persisted before = Decision.persist(inputs, now);
    try {
      Decision.Persisted after = Decision.persist(inputs, trial);
      try {
        T result = use.apply(RunDiff.of("policy " + current.policyId(), "candidate " + candidate.policyId(),
            before.decided(), after.decided()));
        progress.finished("compared");
        return result;
      } finally {
        after.releaseKeys();
        after.decided().unpersist();
      }
    } finally {
      before.releaseKeys();
      before.decided().unpersist();
    }
  }

  private InputTables read(RunSpec spec, int stage, int stages) {
    progress.started(stage, stages, "Reading and validating inputs");
    InputTables inputs = EligibilityRun.readInputs(TableReader.forRun(spark), spec);
    progress.finished(inputs.all().size() + " tables, " + inputs.all().stream().mapToLong(BoundTable::rowCount).sum()
        + " rows");
    return inputs;
  }

  private static InputSnapshot snapshot(BoundTable table) {
    return new InputSnapshot(table.contract().table(), table.input().name(), table.input().path(),
        table.input().format().key(), table.deltaVersion().orElse(null), table.files(), table.rowCount(),
        table.datasetDigest().orElse("(not computed: dry run)"));
  }
}
