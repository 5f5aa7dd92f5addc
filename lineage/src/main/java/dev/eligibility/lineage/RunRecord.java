package dev.eligibility.lineage;

import java.util.List;
import java.util.Objects;

/**
 * Everything one committed run of the filter claims about itself.
 *
 * <p>Written once, after both output tables have committed, as the run's commit point: a run
 * without a record did not happen, whatever table versions it may have left behind.
 *
 * @param formatVersion identifies this layout; readers reject versions they do not know
 * @param run who ran what, when
 * @param policy the policy the rows were judged by
 * @param inputs every table the run read, with the version and row count it saw
 * @param outputs the table versions the run produced
 * @param counts the outcome of every candidate row
 * @param upstreamWarnings signs that an upstream system broke a promise (reported, not reasons)
 * @param negativeClaims what the eligible set does not hold, as counts that must be zero
 * @param eligibleRowsByOrganization how many organizations have eligible rows (API rows by their
 *     request's organization, training-file rows by the file's owner) and the digest of the
 *     per-organization counts, which are a table of their own
 * @param decisionMode whether the run decided every row or only what changed since its base run,
 *     and where its decided rows are kept
 * @param driftCheck how the run's figures compared with the runs committed before it under its root
 * @param codeVersion the version of the filter that ran
 * @param previousManifestDigest hex SHA-256 of the manifest file of the run committed last under
 *     the same output root before this one (a hash chain); null for the first run of a root
 */
public record RunRecord(
    String formatVersion,
    RunInfo run,
    PolicyInfo policy,
    List<InputSnapshot> inputs,
    List<OutputSnapshot> outputs,
    DecisionCounts counts,
    List<UpstreamWarning> upstreamWarnings,
    NegativeClaims negativeClaims,
    OrganizationCounts eligibleRowsByOrganization,
    DecisionMode decisionMode,
    DriftCheck driftCheck,
    String codeVersion,
    String previousManifestDigest) {

  /** The layout this library writes: v6's, with dataset digests of {@link DigestAlgorithm#LTHASH_V2}. */
  public static final String FORMAT_VERSION = "eligibility-run-record/v7";

  /** The layout before, read so that its records keep verifying: dataset digests of {@link DigestAlgorithm#ADDITIVE_V1}. */
  public static final String FORMAT_VERSION_V6 = "eligibility-run-record/v6";

  /** Every layout this library reads. */
  public static final java.util.Set<String> READABLE_FORMAT_VERSIONS = java.util.Set.of(FORMAT_VERSION_V6, FORMAT_VERSION);

  public RunRecord {
    Objects.requireNonNull(formatVersion, "formatVersion");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(codeVersion, "codeVersion");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    upstreamWarnings = List.copyOf(upstreamWarnings);
    Objects.requireNonNull(negativeClaims, "negativeClaims");
    Objects.requireNonNull(eligibleRowsByOrganization, "eligibleRowsByOrganization");
    Objects.requireNonNull(decisionMode, "decisionMode");
    Objects.requireNonNull(driftCheck, "driftCheck");
  }

  /** The algorithm of every dataset digest in this record. */
  public DigestAlgorithm digestAlgorithm() {
    return DigestAlgorithm.ofRecordFormat(formatVersion);
  }

  /**
   * Whether the Merkle tree of {@code eligible/} has leaves of record ids and row digests (format
   * v7), rather than of record ids alone (v6).
   */
  public boolean leavesBindRowDigests() {
    return leavesBindRowDigests(formatVersion);
  }

  /** Whether records of {@code formatVersion} have Merkle leaves of record ids and row digests. */
  public static boolean leavesBindRowDigests(String formatVersion) {
    return !FORMAT_VERSION_V6.equals(formatVersion);
  }

  /** The output snapshot of {@code table} ({@code eligible}, {@code exclusions}), if the record names it. */
  public java.util.Optional<OutputSnapshot> output(String table) {
    return outputs.stream().filter(o -> o.table().equals(table)).findFirst();
  }
}
