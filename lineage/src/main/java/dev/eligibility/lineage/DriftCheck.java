package dev.eligibility.lineage;

import java.util.List;
import java.util.Objects;

/**
 * How a run's figures compared with the runs committed before it under the same output root
 * (its drift gate): the eligible share, each reason's count, the rows of each input and the
 * organizations with eligible rows, each against the median of the history and a limit.
 *
 * <p>A run past a limit stops before writing anything unless drift was accepted (the spec's
 * {@code accept_drift} or {@code --accept-drift}); so a committed run's check is {@code PASSED},
 * {@code ACCEPTED} (past a limit, accepted, the findings say which) or {@code NO_HISTORY} (too few
 * earlier runs to compare with).
 *
 * @param outcome {@code PASSED}, {@code ACCEPTED} or {@code NO_HISTORY}; {@code STOPPED} only in the
 *     error and the lineage event of a run that stopped (it has no manifest)
 * @param limits the limits applied: their source and SHA-256
 * @param historyRunIds the earlier runs compared with, newest first
 * @param figuresChecked how many figures were compared
 * @param findings the figures past their limit (empty unless {@code ACCEPTED})
 */
public record DriftCheck(String outcome, String limits, List<String> historyRunIds, int figuresChecked,
    List<Finding> findings) {

  public static final String PASSED = "PASSED";
  public static final String ACCEPTED = "ACCEPTED";
  public static final String NO_HISTORY = "NO_HISTORY";
  public static final String STOPPED = "STOPPED";

  public DriftCheck {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(limits, "limits");
    historyRunIds = List.copyOf(historyRunIds);
    findings = List.copyOf(findings);
  }

  /**
   * One figure past its limit.
   *
   * @param figure what was compared ({@code eligible_share}, {@code reason:OPT_OUT},
   *     {@code input_rows:corpus/web}, {@code organizations_with_eligible_rows})
   * @param value the run's value
   * @param history the values of the runs compared with, newest first
   * @param limit the limit, in words, with the key that sets it
   * @param message the whole finding in one sentence
   */
  public record Finding(String figure, double value, List<Double> history, String limit, String message) {
    public Finding {
      Objects.requireNonNull(figure, "figure");
      history = List.copyOf(history);
    }
  }
}
