package dev.eligibility.jobs.verify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.publication.RootRecovery;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.decision.Decision;
import dev.eligibility.jobs.run.EligibleRowsPass;
import dev.eligibility.jobs.run.Progress;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputFile;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks every {@link Claim} of a run's manifest against the data it names, trusting nothing the
 * manifest says about itself: the signature is checked against the trusted keys themselves (the
 * key id is never consulted), and every digest, root and count is recomputed from the tables.
 *
 * <p>A claim that depends on one that failed is reported {@code NOT_CHECKED}: an unsigned or
 * forged manifest is not worth reading further, and there is nothing to re-evaluate against once
 * an input changed.
 */
public final class RunVerifier {

  /**
   * What the reviewer allows.
   *
   * @param historical verify a past run: a manifest superseded by later runs (newer table
   *     versions, or a re-run of its run id) is checked at its pinned versions instead of failing
   * @param allowUnsigned accept a manifest written with {@code --unsigned}, reporting it
   */
  public record Options(boolean historical, boolean allowUnsigned) {}

  private final SparkSession spark;
  private final List<PublicKey> trustedKeys;
  private final Options options;
  private final Progress progress;

  public RunVerifier(SparkSession spark, List<PublicKey> trustedKeys, Options options, Progress progress) {
    this.spark = spark;
    this.trustedKeys = List.copyOf(trustedKeys);
    this.options = options;
    this.progress = progress;
  }

  /**
   * Verifies the manifest {@code bytes}, read from {@code file} (its name matters: a file in a
   * {@code manifests/} folder must be named for the run it holds).
   */
  public VerificationReport verify(byte[] bytes, Path file) {
    String digest = RunRecordStore.digestOf(bytes);
    Map<Claim, ClaimResult> results = new EnumMap<>(Claim.class);
    starting(Claim.SIGNATURE);
    RunManifest.Opened opened;
    try {
      opened = RunManifest.open(bytes, trustedKeys);
    } catch (RunManifest.ManifestException e) {
      record(results, ClaimResult.fails(Claim.SIGNATURE, e.getMessage()));
      return report(Optional.empty(), digest, results, "the manifest cannot be trusted, so nothing in it was checked");
    }
    record(results, signature(opened));
    if (!results.get(Claim.SIGNATURE).passed()) {
      return report(Optional.empty(), digest, results, "nothing vouches for the manifest, so nothing in it was checked");
    }
    RunRecord record = opened.record();
    OutputSnapshot eligible = output(record, OutputLayout.ELIGIBLE);
    OutputSnapshot exclusions = output(record, OutputLayout.EXCLUSIONS);

    outputRootClaims(record, digest, file, eligible, exclusions, results);
    dataClaims(record, eligible, exclusions, results);
    return report(Optional.of(record.run().runId()), digest, results, "");
  }

  private void outputRootClaims(RunRecord record, String digest, Path file, OutputSnapshot eligible,
      OutputSnapshot exclusions, Map<Claim, ClaimResult> results) {
    OutputLayout layout = new OutputLayout(rootOf(eligible));
    RunRecordStore store = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    List<RunRegistry.Entry> registered = new ArrayList<>();
    check(results, Claim.IDENTITY, () -> {
      registered.addAll(new RunRegistry(spark, layout).entries());
      return identity(record, digest, file, store, registered);
    });
    check(results, Claim.CHAIN, () -> chain(record, digest, store, registered));
    check(results, Claim.FRESHNESS, () -> freshness(eligible, exclusions, registered));
    check(results, Claim.OUTPUTS, () -> outputs(record.run().runId(), eligible, exclusions));
  }

  private void dataClaims(RunRecord record, OutputSnapshot eligible, OutputSnapshot exclusions,
      Map<Claim, ClaimResult> results) {
    List<BoundTable> inputs = new ArrayList<>();
    check(results, Claim.INPUTS, () -> inputs(record, inputs));
    starting(Claim.POLICY);
    Optional<PolicyParameters> policy = policy(record, results);
    progress.finished(results.get(Claim.POLICY).outcome().toString());
    starting(Claim.EVALUATION);
    if (results.get(Claim.INPUTS).passed() && policy.isPresent()) {
      evaluate(record, eligible, exclusions, tables(inputs), policy.get(), results);
    } else {
      String why = "the pinned inputs or the policy changed, so there is nothing to re-evaluate against";
      results.put(Claim.EVALUATION, ClaimResult.notChecked(Claim.EVALUATION, why));
      results.put(Claim.NEGATIVE_CLAIMS, record.negativeClaims().allHold()
          ? ClaimResult.notChecked(Claim.NEGATIVE_CLAIMS, "recorded as zero, but " + why)
          : ClaimResult.fails(Claim.NEGATIVE_CLAIMS, "the manifest itself records " + record.negativeClaims()));
    }
    progress.finished(results.get(Claim.EVALUATION).outcome() + " (negative claims: "
        + results.get(Claim.NEGATIVE_CLAIMS).outcome() + ")");
  }

  private void check(Map<Claim, ClaimResult> results, Claim claim, java.util.function.Supplier<ClaimResult> check) {
    starting(claim);
    record(results, check.get());
  }

  private void starting(Claim claim) {
    progress.started(claim.ordinal() + 1, Claim.values().length, "Checking " + claim.label());
  }

  private void record(Map<Claim, ClaimResult> results, ClaimResult result) {
    results.put(result.claim(), result);
    progress.finished(result.outcome().toString());
  }

  private ClaimResult signature(RunManifest.Opened opened) {
    if (opened.signed()) {
      return ClaimResult.holds(Claim.SIGNATURE, "Ed25519 signature over the DSSE envelope verifies with a trusted key");
    }
    return options.allowUnsigned()
        ? ClaimResult.noted(Claim.SIGNATURE, "UNSIGNED (run with --unsigned; accepted by --allow-unsigned): nothing vouches for it")
        : ClaimResult.fails(Claim.SIGNATURE, "UNSIGNED: the run was started with --unsigned and nothing vouches for the manifest"
            + " (--allow-unsigned checks the rest anyway)");
  }

  private ClaimResult identity(
      RunRecord record, String digest, Path file, RunRecordStore store, List<RunRegistry.Entry> registered) {
    String runId = record.run().runId();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName() != null
        && parent.getFileName().toString().equals(OutputLayout.MANIFESTS)
        && !file.getFileName().toString().equals(runId + ".json")) {
      return ClaimResult.fails(Claim.IDENTITY, "the file " + file.getFileName() + " holds the manifest of run " + runId
          + ": a manifest copied from another run");
    }
    if (registered.stream().noneMatch(e -> e.runId().equals(runId) && e.manifestDigest().equals(digest))) {
      return ClaimResult.fails(Claim.IDENTITY, "the run registry under " + store.location(runId).getParent().getParent()
          + " has no run " + runId + " with manifest digest " + digest);
    }
    RunRecordStore.State state = io(() -> store.stateOf(runId, digest));
    return switch (state) {
      case COMMITTED -> ClaimResult.holds(Claim.IDENTITY, "it is the committed manifest of run " + runId
          + " (" + store.location(runId) + ")");
      case SUPERSEDED -> options.historical()
          ? ClaimResult.noted(Claim.IDENTITY, "run " + runId + " was re-run since; this manifest is its archived earlier commit")
          : ClaimResult.fails(Claim.IDENTITY, "run " + runId + " was re-run since (--replace): this manifest was superseded"
              + " (--historical verifies a past run)");
      case NOT_COMMITTED -> ClaimResult.fails(Claim.IDENTITY, "no manifest with this digest was committed for run " + runId
          + " under its output root; " + store.location(runId) + " holds another");
    };
  }

  private ClaimResult chain(RunRecord record, String digest, RunRecordStore store, List<RunRegistry.Entry> registered) {
    Optional<RunRegistry.Entry> self = entry(registered, digest);
    if (self.isEmpty()) {
      return ClaimResult.notChecked(Claim.CHAIN, "the manifest is not in the run registry, so its place in the chain is unknown");
    }
    String previous = record.previousManifestDigest();
    if (!java.util.Objects.equals(previous, self.get().previousManifestDigest())) {
      return ClaimResult.fails(Claim.CHAIN, "the manifest names previous " + previous + ", the registry "
          + self.get().previousManifestDigest());
    }
    if (previous == null) {
      for (RunRegistry.Entry earlier : registered) {
        if (earlier.registeredAt().isBefore(self.get().registeredAt())
            && io(() -> store.stateOf(earlier.runId(), earlier.manifestDigest())) != RunRecordStore.State.NOT_COMMITTED) {
          return ClaimResult.fails(Claim.CHAIN, "the manifest claims to be the first of its output root, but run "
              + earlier.runId() + " (manifest " + earlier.manifestDigest() + ") committed before it");
        }
      }
      return ClaimResult.holds(Claim.CHAIN, "the first committed run of its output root");
    }
    Optional<RunRegistry.Entry> before = entry(registered, previous);
    if (before.isEmpty()) {
      return ClaimResult.fails(Claim.CHAIN, "no run under the output root has the previous manifest " + previous);
    }
    if (!before.get().registeredAt().isBefore(self.get().registeredAt())) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + before.get().runId()
          + ") was registered after this one");
    }
    Optional<byte[]> previousBytes = io(() -> store.manifestBytes(before.get().runId(), previous));
    if (previousBytes.isEmpty()) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + before.get().runId() + ", " + previous
          + ") is missing from manifests/");
    }
    try {
      RunManifest.Opened previousManifest = RunManifest.open(previousBytes.get(), trustedKeys);
      if (!previousManifest.signed() && !options.allowUnsigned()) {
        return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + before.get().runId() + ") is UNSIGNED");
      }
    } catch (RunManifest.ManifestException e) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + before.get().runId() + ") does not verify: "
          + e.getMessage());
    }
    return ClaimResult.holds(Claim.CHAIN, "links to run " + before.get().runId() + " (manifest " + previous + ")");
  }

  private ClaimResult freshness(OutputSnapshot eligible, OutputSnapshot exclusions, List<RunRegistry.Entry> registered) {
    List<String> newer = new ArrayList<>();
    List<String> restored = new ArrayList<>();
    for (OutputSnapshot output : List.of(eligible, exclusions)) {
      long latest = latestVersion(output.path());
      if (latest == output.deltaVersion()) {
        continue;
      }
      if (RootRecovery.sameFiles(spark, output.path(), output.deltaVersion(), latest)) {
        // A run that died before its manifest wrote newer versions, and recovery restored the pinned one.
        restored.add(output.table() + "/ v" + latest + " holds exactly the files of the pinned v" + output.deltaVersion());
      } else {
        newer.add(output.table() + "/ is at v" + latest + ", not the pinned v" + output.deltaVersion());
      }
    }
    if (newer.isEmpty()) {
      return ClaimResult.holds(Claim.FRESHNESS, restored.isEmpty()
          ? "eligible/ v" + eligible.deltaVersion() + " and exclusions/ v" + exclusions.deltaVersion()
              + " are the tables' latest versions"
          : "the tables' latest versions hold the pinned data (" + String.join("; ", restored)
              + ", restored after a run that never committed)");
    }
    Optional<RunRegistry.Entry> later = registered.stream()
        .filter(e -> e.eligibleVersion() > eligible.deltaVersion())
        .findFirst();
    String by = later.map(e -> "superseded by run " + e.runId() + " (eligible v" + e.eligibleVersion() + ")")
        .orElse("the newer versions were written by no registered run");
    String detail = String.join("; ", newer) + ": " + by;
    return options.historical()
        ? ClaimResult.noted(Claim.FRESHNESS, detail + "; checked as a past run (--historical)")
        : ClaimResult.fails(Claim.FRESHNESS, detail + ". An old manifest does not vouch for the current tables"
            + " (--historical verifies a past run at its pinned versions)");
  }

  private ClaimResult outputs(String runId, OutputSnapshot eligible, OutputSnapshot exclusions) {
    try {
      Dataset<Row> eligibleRows = atVersion(eligible);
      Dataset<Row> exclusionRows = atVersion(exclusions).filter(col("run_id").equalTo(lit(runId)));
      List<String> problems = new ArrayList<>();
      compare(problems, eligible, RowDigests.digest(eligibleRows, "record_id"));
      compare(problems, exclusions, RowDigests.digest(exclusionRows, "record_id"));
      String root = MerkleRoots.ofRecordIds(eligibleRows, "record_id");
      if (!root.equals(eligible.merkleRoot())) {
        problems.add("eligible/ v" + eligible.deltaVersion() + " record ids give Merkle root " + root
            + ", the manifest records " + eligible.merkleRoot());
      }
      return problems.isEmpty()
          ? ClaimResult.holds(Claim.OUTPUTS, "eligible/ v" + eligible.deltaVersion() + " (" + eligible.rowCount()
              + " rows) and exclusions/ v" + exclusions.deltaVersion() + " (" + exclusions.rowCount()
              + " rows of the run) match their digests; the Merkle root matches")
          : ClaimResult.fails(Claim.OUTPUTS, String.join("; ", problems));
    } catch (RuntimeException e) {
      // Named by class only: the messages of failed reads may quote data values.
      return ClaimResult.fails(Claim.OUTPUTS, "the pinned versions cannot be read (" + e.getClass().getSimpleName()
          + "; the driver log has the detail)");
    }
  }

  private static void compare(List<String> problems, OutputSnapshot output, RowDigests.TableDigest actual) {
    if (actual.count() != output.rowCount() || !actual.hex().equals(output.datasetDigest())) {
      problems.add(output.table() + "/ v" + output.deltaVersion() + " holds " + actual.count() + " rows of the run with digest "
          + actual.hex() + "; the manifest records " + output.rowCount() + " rows with digest " + output.datasetDigest());
    }
  }

  private ClaimResult inputs(RunRecord record, List<BoundTable> bound) {
    TableReader reader = new TableReader(spark);
    List<String> problems = new ArrayList<>();
    for (InputSnapshot snapshot : record.inputs()) {
      String label = TableReader.label(snapshot.table(), snapshot.name());
      Optional<TableFormat> format = TableFormat.fromKey(snapshot.format());
      Optional<TableContract> contract = contract(snapshot.table());
      if (format.isEmpty() || contract.isEmpty()) {
        problems.add(label + ": unknown format or table in the manifest");
        continue;
      }
      BoundTable table;
      try {
        table = reader.read(new TableInput(snapshot.name(), snapshot.path(), format.get()), contract.get(),
            Optional.ofNullable(snapshot.deltaVersion()));
      } catch (EligibilityException e) {
        problems.add(label + ": cannot be read as the run read it (" + firstLine(e.getMessage()) + ")");
        continue;
      } catch (RuntimeException e) {
        // Named by class only: other failures' messages may quote data values.
        problems.add(label + ": cannot be read as the run read it (" + e.getClass().getSimpleName() + ")");
        continue;
      }
      fileChanges(snapshot.files(), table.files()).ifPresent(change -> problems.add(label + ": " + change));
      String digest = table.datasetDigest().orElseThrow();
      if (table.rowCount() != snapshot.rowCount() || !digest.equals(snapshot.datasetDigest())) {
        problems.add(label + ": now " + table.rowCount() + " rows with digest " + digest
            + "; the manifest records " + snapshot.rowCount() + " rows with digest " + snapshot.datasetDigest());
      }
      bound.add(table);
    }
    return problems.isEmpty()
        ? ClaimResult.holds(Claim.INPUTS, record.inputs().size() + " inputs hash as recorded")
        : ClaimResult.fails(Claim.INPUTS, String.join("; ", problems));
  }

  /** The first difference between the recorded files of an input and the files it has now. */
  static Optional<String> fileChanges(List<InputFile> recorded, List<InputFile> now) {
    Map<String, InputFile> current = new java.util.TreeMap<>();
    now.forEach(f -> current.put(f.path(), f));
    for (InputFile file : recorded) {
      InputFile found = current.remove(file.path());
      if (found == null) {
        return Optional.of("file " + file.path() + " is gone");
      }
      if (!found.equals(file)) {
        return Optional.of("file " + file.path() + " changed (now " + found.size() + " bytes, SHA-256 " + found.sha256()
            + "; recorded " + file.size() + " bytes, SHA-256 " + file.sha256() + ")");
      }
    }
    return current.keySet().stream().findFirst().map(path -> "file " + path + " was added since the run");
  }

  private Optional<PolicyParameters> policy(RunRecord record, Map<Claim, ClaimResult> results) {
    String source = record.policy().source();
    PolicyParameters policy;
    try {
      policy = source != null && source.startsWith("bundled:") ? PolicyFile.bundled() : PolicyFile.load(Path.of(source));
    } catch (RuntimeException e) {
      results.put(Claim.POLICY, ClaimResult.fails(Claim.POLICY, "the policy file " + source + " cannot be read: "
          + firstLine(e.getMessage())));
      return Optional.empty();
    }
    if (!policy.sha256().equals(record.policy().sha256())) {
      results.put(Claim.POLICY, ClaimResult.fails(Claim.POLICY, "the policy file " + source + " has SHA-256 "
          + policy.sha256() + "; the manifest records " + record.policy().sha256() + ": it was edited after the run"));
      return Optional.empty();
    }
    if (!policy.policyId().equals(record.policy().policyId()) || !policy.asText().equals(record.policy().parameters())) {
      results.put(Claim.POLICY, ClaimResult.fails(Claim.POLICY, "the policy file " + source
          + " has the recorded bytes but other parameters than the manifest records"));
      return Optional.empty();
    }
    results.put(Claim.POLICY, ClaimResult.holds(Claim.POLICY, policy.policyId() + " from " + source + ", SHA-256 as recorded"));
    return Optional.of(policy);
  }

  private void evaluate(RunRecord record, OutputSnapshot eligible, OutputSnapshot exclusions, InputTables inputs,
      PolicyParameters policy, Map<Claim, ClaimResult> results) {
    RunContext context = new RunContext(Purpose.valueOf(record.run().purpose()),
        Optional.ofNullable(record.run().fineTuneOrgId()), record.run().asOf(), policy);
    try (Decision fresh = Decision.of(inputs, context, record.run().runId())) {
      EligibleRowsPass pass = EligibleRowsPass.of(spark, inputs.corpus(), fresh.eligibleIds(), record.run().runId());
      pass.consumeWithoutWriting();
      String freshEligibleDigest = pass.digests(fresh.tally().counts().eligible()).eligible();
      List<String> problems = new ArrayList<>();
      if (!freshEligibleDigest.equals(eligible.datasetDigest()) || !fresh.merkleRoot().equals(eligible.merkleRoot())) {
        Dataset<Row> freshIds = fresh.eligibleIds();
        Dataset<Row> storedIds = atVersion(eligible).select(col("record_id"));
        long notEligible = storedIds.join(freshIds, storedIds.col("record_id").equalTo(freshIds.col("record_id")), "left_anti").count();
        long missing = freshIds.join(storedIds, freshIds.col("record_id").equalTo(storedIds.col("record_id")), "left_anti").count();
        problems.add("the policy gives " + fresh.tally().counts().eligible() + " eligible rows (digest "
            + freshEligibleDigest + "); the manifest records " + eligible.rowCount() + " (digest "
            + eligible.datasetDigest() + "): eligible/ v" + eligible.deltaVersion() + " holds " + notEligible
            + " rows the policy excludes and lacks " + missing + " rows it allows");
      }
      if (!fresh.exclusionsDigest().equals(exclusions.datasetDigest())) {
        problems.add("the policy gives exclusion rows with digest " + fresh.exclusionsDigest() + "; the manifest records "
            + exclusions.datasetDigest());
      }
      if (!fresh.tally().counts().equals(record.counts())) {
        problems.add("the counts by reason and source kind differ from the recorded ones");
      }
      results.put(Claim.EVALUATION, problems.isEmpty()
          ? ClaimResult.holds(Claim.EVALUATION, "re-evaluated " + fresh.tally().counts().candidates()
              + " candidates: the same " + fresh.tally().counts().eligible() + " eligible rows, exclusions and counts")
          : ClaimResult.fails(Claim.EVALUATION, String.join("; ", problems)));
      boolean freshHold = fresh.tally().negativeClaims().allHold();
      results.put(Claim.NEGATIVE_CLAIMS, record.negativeClaims().allHold() && freshHold
          ? ClaimResult.holds(Claim.NEGATIVE_CLAIMS, "recorded as zero and zero in the re-evaluated eligible set")
          : ClaimResult.fails(Claim.NEGATIVE_CLAIMS, "recorded " + record.negativeClaims() + "; re-evaluated "
              + fresh.tally().negativeClaims()));
    }
  }

  private static InputTables tables(List<BoundTable> bound) {
    return new InputTables(
        bound.stream().filter(t -> t.contract() == Contracts.CORPUS).toList(),
        only(bound, Contracts.API_REQUESTS).orElseThrow(),
        only(bound, Contracts.CONSENT_EVENTS).orElseThrow(),
        only(bound, Contracts.FINE_TUNE_FILES).orElseThrow(),
        only(bound, Contracts.FINE_TUNED_MODELS).orElseThrow(),
        only(bound, Contracts.ZDR_AGREEMENTS),
        only(bound, Contracts.LICENSES));
  }

  private static Optional<BoundTable> only(List<BoundTable> bound, TableContract contract) {
    return bound.stream().filter(t -> t.contract() == contract).findFirst();
  }

  private static Optional<TableContract> contract(String table) {
    return Contracts.ALL.stream().filter(c -> c.table().equals(table)).findFirst();
  }

  private Dataset<Row> atVersion(OutputSnapshot output) {
    return spark.read().format("delta").option("versionAsOf", output.deltaVersion()).load(output.path());
  }

  private long latestVersion(String path) {
    return TableReader.latestVersion(spark, path);
  }

  private static Optional<RunRegistry.Entry> entry(List<RunRegistry.Entry> registered, String digest) {
    return registered.stream().filter(e -> e.manifestDigest().equals(digest)).findFirst();
  }

  private static String rootOf(OutputSnapshot eligible) {
    String path = eligible.path();
    String suffix = "/" + OutputLayout.ELIGIBLE;
    if (!path.endsWith(suffix)) {
      throw new IllegalArgumentException("the manifest's eligible output " + path + " is not <root>/eligible");
    }
    return path.substring(0, path.length() - suffix.length());
  }

  private static OutputSnapshot output(RunRecord record, String table) {
    return record.output(table).orElseThrow(() -> new IllegalArgumentException("the manifest names no " + table + " output"));
  }

  private static VerificationReport report(
      Optional<String> runId, String digest, Map<Claim, ClaimResult> results, String whyNotChecked) {
    List<ClaimResult> all = new ArrayList<>();
    for (Claim claim : Claim.values()) {
      all.add(results.getOrDefault(claim, ClaimResult.notChecked(claim, whyNotChecked)));
    }
    return new VerificationReport(runId, digest, all);
  }

  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse(message);
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private static <T> T io(IoCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
