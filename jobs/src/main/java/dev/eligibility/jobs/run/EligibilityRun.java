package dev.eligibility.jobs.run;

import dev.eligibility.jobs.decision.Decision;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.decision.ConsentIntervals;
import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.drift.DriftGate;
import dev.eligibility.jobs.drift.DriftLimits;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.incremental.DecidedRows;
import dev.eligibility.jobs.incremental.DecisionPlan;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.decision.DecisionTally;
import dev.eligibility.jobs.evidence.LeafFiles;
import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.publication.CatalogRegistration;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.ClaimKeeper;
import dev.eligibility.jobs.publication.ClaimLease;
import dev.eligibility.jobs.publication.OutputRootClaim;
import dev.eligibility.jobs.publication.RootRecovery;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.jobs.publication.RunHistory;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.UpstreamChecks;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.DriftCheck;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OrganizationCounts;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.PolicyInfo;
import dev.eligibility.lineage.RunInfo;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.UpstreamWarning;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One run of the filter: reads and validates every input before anything is written, decides
 * every row, writes {@code eligible/} and {@code exclusions/}, and commits by writing the run
 * record last.
 */
public final class EligibilityRun {

  static final int STAGES = 5;

  private final SparkSession spark;
  private final Clock clock;
  private final Progress progress;
  private final RunEvents events;
  private final DriftGate drift;

  /** The run record format written, and with it the algorithm of every dataset digest. */
  private final String recordFormat;

  public EligibilityRun(SparkSession spark, Clock clock, Progress progress) {
    this(spark, clock, progress, RunEvents.NONE);
  }

  /** A run that also reports its start, commit or failure to {@code events} (OpenLineage). */
  public EligibilityRun(SparkSession spark, Clock clock, Progress progress, RunEvents events) {
    this(spark, clock, progress, events, new DriftGate(DriftLimits.bundled()), RunRecord.FORMAT_VERSION);
  }

  private EligibilityRun(SparkSession spark, Clock clock, Progress progress, RunEvents events, DriftGate drift,
      String recordFormat) {
    this.spark = spark;
    this.clock = clock;
    this.progress = progress;
    this.events = events;
    this.drift = drift;
    this.recordFormat = recordFormat;
  }

  /** This run with the drift limits {@code limits} instead of the bundled {@code conf/drift.yaml}. */
  public EligibilityRun withDriftLimits(DriftLimits limits) {
    return new EligibilityRun(spark, clock, progress, events, new DriftGate(limits), recordFormat);
  }

  /**
   * This run writing a record of {@code format} (one this build reads) with that format's digests.
   * Only for tests: a root holding runs of the format before is what an upgrade starts from, and
   * those runs must keep verifying.
   */
  EligibilityRun writingRecordFormat(String format) {
    DigestAlgorithm.ofRecordFormat(format);
    return new EligibilityRun(spark, clock, progress, events, drift, format);
  }

  private DigestAlgorithm digestAlgorithm() {
    return DigestAlgorithm.ofRecordFormat(recordFormat);
  }

  /**
   * Runs {@code spec}. With {@code replace}, a run id already committed under the output root is
   * run again and its outputs and record replaced; without it, such a run is refused. The
   * manifest is signed with {@code signer}, or written unsigned (and saying so) without one.
   */
  public RunResult run(RunSpec spec, boolean replace, Optional<RunManifest.Signer> signer) {
    return run(spec, replace, signer, false);
  }

  /**
   * As {@link #run(RunSpec, boolean, Optional)}; with {@code full}, every row is decided even where
   * the run could start from the last run's decisions (see {@link DecisionPlan}).
   */
  public RunResult run(RunSpec spec, boolean replace, Optional<RunManifest.Signer> signer, boolean full) {
    Instant started = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String runId = spec.runId();

    progress.started(1, STAGES, "Checking spec, policy and output root");
    PolicyParameters policy = policyOf(spec);
    RunContext context = contextOf(spec, policy, started);
    OutputLayout layout = new OutputLayout(spec.outputRoot());
    RunRecordStore records = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    refuseIfCommitted(records, runId, replace);
    new CatalogRegistration(spark, spec.catalogTables(), layout, spec.source()).check();
    OutputRootClaim claim = new OutputRootClaim(spark, layout);
    ClaimLease lease = ClaimLease.of(spark.conf());
    // Before any input is read: a root a live run holds stops this run now; a claim a dead driver
    // left is waited out (at most one lease), so a scheduler's plain retry proceeds on its own.
    Optional<OutputRootClaim.Holder> stale = claim.awaitStale(runId, lease, clock, progress::note);
    progress.finished("policy " + policy.policyId() + ", as_of " + context.asOf());
    events.started(spec, context, started);
    try {
      progress.started(2, STAGES, "Reading and validating inputs");
      describeJobs(runId, "validate inputs");
      InputTables inputs = readInputs(spec);
      long rowsRead = inputs.all().stream().mapToLong(BoundTable::rowCount).sum();
      // Claimed only now, so that a spec or input error leaves the output root untouched.
      OutputRootClaim.Holder held = claim.acquire(runId, spark.sparkContext().applicationId(), clock.instant(),
          lease.length(), stale);
      try (ClaimKeeper keeper = ClaimKeeper.keep(claim, held, lease, clock)) {
        FaultInjection.haltIfAt(FaultInjection.AFTER_READ);
        progress.finished(inputs.all().size() + " tables, " + rowsRead + " rows");
        // A run of the same id may have committed between the first check and the claim.
        refuseIfCommitted(records, runId, replace);
        recover(runId, layout, records);
        DecisionPlan plan = full ? DecisionPlan.full("--full was given")
            : DecisionPlan.find(spark, BuildInfo.codeVersion(), context, inputs, layout, records, clock.instant());
        return decideWriteAndCommit(spec, replace, signer, started, policy, context, layout, records, inputs, keeper,
            plan);
      }
    } catch (RuntimeException | Error e) {
      events.failed(spec, context, started, e);
      throw e;
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * The run's figures against the runs committed before it under its root ({@link DriftGate});
   * past a limit without {@code accept_drift}, the run stops here, before writing anything.
   */
  private DriftCheck checkDrift(RunSpec spec, InputTables inputs, DecisionTally tally, long organizations,
      OutputLayout layout, RunRecordStore records) {
    describeJobs(spec.runId(), "check drift");
    DriftCheck check = drift.check(figures(spec, inputs, tally, organizations),
        history(new RunHistory(new RunRegistry(spark, layout), records)), spec.acceptDrift());
    if (check.outcome().equals(DriftCheck.STOPPED)) {
      throw Errors.driftPastLimits(spec.runId(), check);
    }
    progress.note("drift " + check.outcome() + (check.findings().isEmpty() ? "" : ": "
        + check.findings().stream().map(DriftCheck.Finding::figure).toList()));
    return check;
  }

  /** The earlier runs a drift check compares with: twice the limit, since those of another purpose are left out. */
  public List<RunFigures> history(RunHistory history) {
    return history.figuresNewestFirst(2 * drift.limits().historyRuns()).stream().map(RunFigures::of).toList();
  }

  /** A run's figures for its drift gate, from its inputs and its decision's tally. */
  public static DriftGate.Figures figures(RunSpec spec, InputTables inputs, DecisionTally tally, long organizations) {
    Map<String, Long> rowsByInput = new java.util.LinkedHashMap<>();
    inputs.all().forEach(table -> rowsByInput.put(TableReader.label(table.contract().table(), table.input().name()),
        table.rowCount()));
    return new DriftGate.Figures(spec.purpose().name(), spec.fineTuneOrgId().orElse(null), tally.counts(), rowsByInput,
        organizations);
  }

  /** The drift gate this run applies. */
  public DriftGate drift() {
    return drift;
  }

  /** Whatever a run that died before its manifest left in the tables is restored first, and said. */
  private void recover(String runId, OutputLayout layout, RunRecordStore records) {
    describeJobs(runId, "recover the output root");
    List<String> repaired = io("recovering the output root", () -> new RootRecovery(spark, layout, records).recover());
    repaired.forEach(line -> progress.note("recovered " + line));
  }

  private static void refuseIfCommitted(RunRecordStore records, String runId, boolean replace) {
    if (!replace && io("checking " + records.location(runId), () -> records.isCommitted(runId))) {
      throw Errors.alreadyCommitted(runId, records.location(runId).toString());
    }
  }

  private RunResult decideWriteAndCommit(RunSpec spec, boolean replace, Optional<RunManifest.Signer> signer,
      Instant started, PolicyParameters policy, RunContext context, OutputLayout layout, RunRecordStore records,
      InputTables inputs, ClaimKeeper keeper, DecisionPlan plan) {
    String runId = spec.runId();
    progress.started(3, STAGES, "Deciding eligibility");
    progress.note("decision " + plan.describe());
    describeJobs(runId, "decide eligibility");
    try (DecidedRows decided = plan.decide(spark, inputs, context, layout.decisions());
        Decision decision = Decision.of(decided.persisted(), inputs, runId, context, digestAlgorithm())) {
      DecisionTally tally = decision.tally();
      if (!tally.negativeClaims().allHold()) {
        // The rules and the claims disagree: a defect, never a dataset to train on. Fail closed.
        throw Errors.claimBroken(runId, tally.negativeClaims().toString());
      }
      List<UpstreamWarning> warnings = warnings(inputs, context, tally);
      Dataset<Row> byOrganization = DecisionTally.eligibleRowsByOrganization(decision.decided()).persist();
      try {
        RowDigests.TableDigest organizations = RowDigests.digest(byOrganization, DecisionTally.ORGANIZATION_ID,
            digestAlgorithm());
        DriftCheck driftCheck = checkDrift(spec, inputs, tally, organizations.count(), layout, records);
        return writeAndCommit(spec, replace, signer, started, policy, context, layout, records, inputs, keeper,
            decided, decision, warnings, byOrganization, organizations, driftCheck);
      } finally {
        byOrganization.unpersist();
      }
    }
  }

  private RunResult writeAndCommit(RunSpec spec, boolean replace, Optional<RunManifest.Signer> signer,
      Instant started, PolicyParameters policy, RunContext context, OutputLayout layout, RunRecordStore records,
      InputTables inputs, ClaimKeeper keeper, DecidedRows decided, Decision decision, List<UpstreamWarning> warnings,
      Dataset<Row> byOrganization, RowDigests.TableDigest organizations, DriftCheck driftCheck) {
    String runId = spec.runId();
    DecisionTally tally = decision.tally();
    progress.finished(tally.counts().eligible() + " eligible, " + tally.counts().excluded() + " excluded");
    FaultInjection.haltIfAt(FaultInjection.AFTER_DECIDE);

    progress.started(4, STAGES, "Writing eligible/, exclusions/ and decisions/");
    OutputTables tables = new OutputTables(spark, layout, runId, BuildInfo.codeVersion());
    keeper.ensureHeld();
    describeJobs(runId, "write eligible");
    Optional<LeafFiles.Folder> leaves = RunRecord.leavesBindRowDigests(recordFormat)
        ? Optional.of(LeafFiles.Folder.of(spark, layout.merkleLeaves())) : Optional.empty();
    leaves.ifPresent(LeafFiles.Folder::delete);
    EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), decision.eligibleIds(), runId, digestAlgorithm(),
        leaves);
    long eligibleVersion = tables.writeEligible(pass.rows());
    EligibleRowsPass.Digests digests = pass.digests(tally.counts().eligible());
    String merkleRoot = leaves.map(folder -> merkleRootOf(folder, digests)).orElseGet(decision::merkleRoot);
    FaultInjection.haltIfAt(FaultInjection.AFTER_ELIGIBLE_COMMIT);
    describeJobs(runId, "write exclusions");
    long exclusionsVersion = tables.writeExclusions(decision.exclusionRows(), runId);
    FaultInjection.haltIfAt(FaultInjection.AFTER_EXCLUSIONS_COMMIT);
    describeJobs(runId, "keep decisions");
    DecisionMode mode = decided.keep(tables, layout.decisions());
    CatalogRegistration catalog = new CatalogRegistration(spark, spec.catalogTables(), layout, spec.source());
    if (catalog.any()) {
      describeJobs(runId, "register tables in the catalog");
      catalog.register().forEach(line -> progress.note("registered " + line));
    }
    progress.finished("eligible v" + eligibleVersion + ", exclusions v" + exclusionsVersion + ", decisions v"
        + mode.stateVersion() + " (" + mode.redecidedRows() + " rows decided)");

    progress.started(5, STAGES, "Committing run record");
    RunRegistry registry = new RunRegistry(spark, layout);
    describeJobs(runId, "read run registry");
    Optional<String> previousManifest = io("finding the previous manifest", () -> records.headDigest(registry.newestFirst()));
    Instant ended = clock.instant().truncatedTo(ChronoUnit.MICROS);
    RunRecord record = new RunRecord(
        recordFormat,
        new RunInfo(runId, spec.purpose().name(), spec.fineTuneOrgId().orElse(null), context.asOf(),
            started, ended, spark.version(), spark.sparkContext().applicationId()),
        new PolicyInfo(policy.policyId(), policy.source(), policy.sha256(), policy.asText()),
        inputs.all().stream().map(table -> snapshot(table, digests)).toList(),
        List.of(
            new OutputSnapshot(OutputLayout.ELIGIBLE, layout.eligible(), eligibleVersion, tally.counts().eligible(),
                digests.eligible(), merkleRoot),
            new OutputSnapshot(OutputLayout.EXCLUSIONS, layout.exclusions(), exclusionsVersion,
                tally.counts().excluded(), decision.exclusionsDigest(), null)),
        tally.counts(),
        warnings,
        tally.negativeClaims(),
        new OrganizationCounts(organizations.count(), organizations.hex()),
        mode,
        driftCheck,
        BuildInfo.codeVersion(),
        previousManifest.orElse(null));
    byte[] manifestBytes = RunManifest.write(record, signer);
    String manifestDigest = RunRecordStore.digestOf(manifestBytes);
    describeJobs(runId, "register run");
    registry.register(record, manifestDigest, signer.isPresent(), clock.instant(), byOrganization);
    FaultInjection.haltIfAt(FaultInjection.AFTER_REGISTRY);
    keeper.ensureHeld();
    org.apache.hadoop.fs.Path manifest = io("writing the run record", () -> records.commit(runId, manifestBytes, replace));
    FaultInjection.haltIfAt(FaultInjection.AFTER_MANIFEST);
    progress.finished(manifest.toString());
    events.completed(spec, record, manifestDigest);
    return new RunResult(record, manifest.toString(), Duration.between(started, clock.instant()),
        largest(byOrganization));
  }

  /** The Merkle root over the leaves the eligible pass kept (ids and row digests); then the leaves are deleted. */
  private String merkleRootOf(LeafFiles.Folder folder, EligibleRowsPass.Digests digests) {
    try {
      return MerkleRoots.ofLeaves(LeafFiles.read(spark, folder, digests.leafFiles()), "record_id", "row_digest");
    } finally {
      folder.delete();
    }
  }

  /** The organizations with the most eligible rows, most first: a bounded query, for the console. */
  public static Map<String, Long> largest(Dataset<Row> byOrganization) {
    Map<String, Long> largest = new java.util.LinkedHashMap<>();
    byOrganization.orderBy(col(DecisionTally.ELIGIBLE_ROWS).desc(), col(DecisionTally.ORGANIZATION_ID))
        .limit(RunResult.LARGEST_ORGANIZATIONS)
        .collectAsList()
        .forEach(row -> largest.put(row.getString(0), row.getLong(1)));
    return largest;
  }

  /** The run's policy: the spec's file, or the bundled v1 policy. */
  public static PolicyParameters policyOf(RunSpec spec) {
    return spec.policyFile().map(Path::of).map(PolicyFile::load).orElseGet(PolicyFile::bundled);
  }

  /** The context a run judges by; {@code as_of} defaults to the run's start. */
  public static RunContext contextOf(RunSpec spec, PolicyParameters policy, Instant started) {
    return new RunContext(spec.purpose(), spec.fineTuneOrgId(), spec.asOf().orElse(started), policy);
  }

  /** Reads and binds every input named by the spec; throws on the first that breaks the contract. */
  public InputTables readInputs(RunSpec spec) {
    return readInputs(TableReader.forRun(spark, digestAlgorithm()), spec);
  }

  /** The same with {@code reader} (a benchmark's baseline reads without digests). */
  public static InputTables readInputs(TableReader reader, RunSpec spec) {
    InputTables inputs = new InputTables(
        spec.corpus().stream().map(input -> reader.read(input, Contracts.CORPUS)).toList(),
        reader.read(spec.apiRequests(), Contracts.API_REQUESTS),
        reader.read(spec.consentEvents(), Contracts.CONSENT_EVENTS),
        reader.read(spec.fineTuneFiles(), Contracts.FINE_TUNE_FILES),
        reader.read(spec.fineTunedModels(), Contracts.FINE_TUNED_MODELS),
        read(reader, spec.zdrAgreements(), Contracts.ZDR_AGREEMENTS),
        read(reader, spec.licenses(), Contracts.LICENSES));
    CorpusUnion.check(inputs.corpus());
    return inputs;
  }

  private static Optional<BoundTable> read(TableReader reader, Optional<TableInput> input, TableContract contract) {
    return input.map(table -> reader.read(table, contract));
  }

  /** The upstream warnings of a decision: signs that an upstream system broke a promise. */
  public static List<UpstreamWarning> warnings(InputTables inputs, RunContext context, DecisionTally tally) {
    Dataset<Row> malformed = ConsentIntervals.visibleEvents(inputs.consentEvents().rows(), context.asOf())
        .filter(ConsentIntervals.malformed());
    long malformedEvents = malformed.count();
    // The organizations named are bounded (the first ones by id); the count covers every event.
    List<String> organizations = malformedEvents == 0 ? List.of() : malformed
        .select(col("org_id")).distinct().orderBy(col("org_id")).limit(UpstreamWarning.MAX_ORGANIZATIONS)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    List<UpstreamWarning> warnings = new ArrayList<>();
    warnings.add(warning(UpstreamChecks.RETAINED_DESPITE_NO_RETENTION, tally.retainedDespiteNoRetention(), List.of()));
    warnings.add(warning(UpstreamChecks.NOT_DELETED_AFTER_RETENTION, tally.notDeletedAfterRetention(), List.of()));
    warnings.add(warning(UpstreamChecks.MALFORMED_CONSENT_EVENTS, malformedEvents, organizations));
    return warnings;
  }

  private static UpstreamWarning warning(String code, long rows, List<String> organizations) {
    return new UpstreamWarning(code, UpstreamChecks.describe(code), rows, organizations);
  }

  /** The input as the manifest records it; a corpus input's digest comes from the eligible pass. */
  private static InputSnapshot snapshot(BoundTable table, EligibleRowsPass.Digests digests) {
    TableInput input = table.input();
    String digest = table.datasetDigest().orElseGet(() -> digests.corpus().get(input.name()));
    return new InputSnapshot(table.contract().table(), input.name(), input.path(), input.format().key(),
        table.deltaVersion().orElse(null), table.files(), table.rowCount(), digest);
  }

  private void describeJobs(String runId, String stage) {
    spark.sparkContext().setJobDescription("eligibility run " + runId + ": " + stage);
  }

  private interface IoAction<T> {
    T call() throws IOException;
  }

  private static <T> T io(String what, IoAction<T> action) {
    try {
      return action.call();
    } catch (IOException e) {
      throw Errors.infrastructure("Failed " + what, e);
    }
  }
}
