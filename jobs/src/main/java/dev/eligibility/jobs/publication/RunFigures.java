package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one committed run that are compared across runs: what {@code lineage history}
 * prints (one JSON object per run), what the run report charts and what the drift gate checks.
 * Counts and identifiers only.
 *
 * @param excludedByReason excluded rows per primary reason, every reason of the policy in order
 * @param rowsByInput rows read per input ({@code corpus/web}, {@code api_requests}, ...)
 * @param organizationsWithEligibleRows how many organizations have eligible rows in the run
 * @param signature how the run's manifest stood up to the trusted keys ({@link RunHistory.Signature})
 */
public record RunFigures(
    String runId,
    String purpose,
    String fineTuneOrgId,
    Instant asOf,
    Instant startedAt,
    Instant endedAt,
    long candidates,
    long eligible,
    long excluded,
    double eligibleShare,
    Map<String, Long> excludedByReason,
    Map<String, Long> rowsByInput,
    long organizationsWithEligibleRows,
    String decisionMode,
    long rowsDecided,
    String manifestDigest,
    String previousManifestDigest,
    String signature) {

  public RunFigures {
    excludedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(excludedByReason));
    rowsByInput = Collections.unmodifiableMap(new LinkedHashMap<>(rowsByInput));
  }

  /** The figures of a run read from its root's history. */
  public static RunFigures of(RunHistory.Run run) {
    return of(run.record(), run.manifestDigest(), run.signature().name());
  }

  /** The figures a run record states; {@code manifestDigest} and {@code signature} are about its file. */
  public static RunFigures of(RunRecord record, String manifestDigest, String signature) {
    long candidates = record.counts().candidates();
    return new RunFigures(
        record.run().runId(), record.run().purpose(), record.run().fineTuneOrgId(), record.run().asOf(),
        record.run().startedAt(), record.run().endedAt(), candidates, record.counts().eligible(),
        record.counts().excluded(), candidates == 0 ? 0 : (double) record.counts().eligible() / candidates,
        record.counts().byReason(), rowsByInput(record), record.eligibleRowsByOrganization().organizations(),
        record.decisionMode().mode(), record.decisionMode().redecidedRows(), manifestDigest,
        record.previousManifestDigest(), signature);
  }

  /** Share of the candidates excluded for {@code reason} (0 for an empty corpus). */
  public double shareOf(String reason) {
    return candidates == 0 ? 0 : (double) excludedByReason.getOrDefault(reason, 0L) / candidates;
  }

  private static Map<String, Long> rowsByInput(RunRecord record) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (InputSnapshot input : record.inputs()) {
      rows.put(TableReader.label(input.table(), input.name()), input.rowCount());
    }
    return rows;
  }
}
