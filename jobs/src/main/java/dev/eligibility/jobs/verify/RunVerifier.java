package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.Progress;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import dev.eligibility.lineage.verify.SignatureClaim;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Checks every {@link Claim} of a run's manifest against the data it names, trusting nothing the
 * manifest says about itself: the signature is checked against the trusted keys themselves (the
 * key id is never consulted), and every digest, root and count is recomputed from the tables.
 * Each claim is a class of its own; this class runs them in order and reports.
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
   * @param evidenceOnly check only what outlives the payload: signature, identity, chain and the
   *     run's evidence; the other claims are reported {@code NOTED} as not checked, by leave
   */
  public record Options(boolean historical, boolean allowUnsigned, boolean evidenceOnly) {

    /** Every claim against the data, with the given leave. */
    public Options(boolean historical, boolean allowUnsigned) {
      this(historical, allowUnsigned, false);
    }
  }

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
    RunManifest.Opened opened;
    starting(Claim.SIGNATURE);
    try {
      opened = RunManifest.open(bytes, trustedKeys);
    } catch (RunManifest.ManifestException e) {
      record(results, SignatureClaim.failed(e));
      return report(Optional.empty(), digest, results, "the manifest cannot be trusted, so nothing in it was checked");
    }
    record(results, SignatureClaim.check(opened, options.allowUnsigned()));
    if (!results.get(Claim.SIGNATURE).passed()) {
      return report(Optional.empty(), digest, results, "nothing vouches for the manifest, so nothing in it was checked");
    }
    VerifiedManifest manifest = VerifiedManifest.of(spark, opened.record(), digest, file);
    check(results, Claim.IDENTITY, () -> IdentityClaim.check(manifest, options.historical()));
    check(results, Claim.CHAIN, () -> ChainClaim.check(manifest, trustedKeys, options.allowUnsigned()));
    if (options.evidenceOnly()) {
      check(results, Claim.OUTPUTS, () -> EvidenceClaim.check(manifest));
      String leave = "not checked (--evidence-only): ";
      for (Claim claim : List.of(Claim.FRESHNESS, Claim.INPUTS, Claim.POLICY, Claim.EVALUATION)) {
        results.put(claim, ClaimResult.noted(claim, leave + claim.meaning()));
      }
      results.put(Claim.NEGATIVE_CLAIMS, manifest.record().negativeClaims().allHold()
          ? ClaimResult.noted(Claim.NEGATIVE_CLAIMS, leave + "recorded as zero, not re-evaluated")
          : ClaimResult.fails(Claim.NEGATIVE_CLAIMS, "the manifest itself records " + manifest.record().negativeClaims()));
      return report(Optional.of(manifest.runId()), digest, results, "");
    }
    check(results, Claim.FRESHNESS, () -> FreshnessClaim.check(manifest, options.historical()));
    check(results, Claim.OUTPUTS, () -> OutputsClaim.check(manifest));
    reevaluationClaims(manifest, results);
    return report(Optional.of(manifest.runId()), digest, results, "");
  }

  private void reevaluationClaims(VerifiedManifest manifest, Map<Claim, ClaimResult> results) {
    starting(Claim.INPUTS);
    InputsClaim.Checked inputs = InputsClaim.check(spark, manifest.record());
    record(results, inputs.result());
    starting(Claim.POLICY);
    PolicyClaim.Checked policy = PolicyClaim.check(manifest.record());
    record(results, policy.result());
    starting(Claim.EVALUATION);
    if (inputs.inputs().isPresent() && policy.policy().isPresent()) {
      Reevaluation fresh = Reevaluation.of(manifest, inputs.inputs().get(), policy.policy().get());
      results.put(Claim.EVALUATION, EvaluationClaim.check(manifest, fresh));
      results.put(Claim.NEGATIVE_CLAIMS, NegativeClaimsClaim.check(manifest.record().negativeClaims(), fresh));
    } else {
      String why = "the pinned inputs or the policy changed, so there is nothing to re-evaluate against";
      results.put(Claim.EVALUATION, ClaimResult.notChecked(Claim.EVALUATION, why));
      results.put(Claim.NEGATIVE_CLAIMS, NegativeClaimsClaim.notReevaluated(manifest.record().negativeClaims(), why));
    }
    progress.finished(results.get(Claim.EVALUATION).outcome() + " (negative claims: "
        + results.get(Claim.NEGATIVE_CLAIMS).outcome() + ")");
  }

  private void check(Map<Claim, ClaimResult> results, Claim claim, Supplier<ClaimResult> check) {
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

  private static VerificationReport report(
      Optional<String> runId, String digest, Map<Claim, ClaimResult> results, String whyNotChecked) {
    List<ClaimResult> all = new ArrayList<>();
    for (Claim claim : Claim.values()) {
      all.add(results.getOrDefault(claim, ClaimResult.notChecked(claim, whyNotChecked)));
    }
    return new VerificationReport(runId, digest, all);
  }
}
