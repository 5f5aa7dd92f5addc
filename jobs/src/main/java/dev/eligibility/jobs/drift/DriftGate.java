package dev.eligibility.jobs.drift;

import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.DriftCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Compares a run's figures with the runs committed before it under its output root. Each figure
 * is held against the median of the same figure over the history (robust to one odd night):
 * the eligible share may move so many points, a reason's rows may grow so many times, an input's
 * rows and the organizations with eligible rows may shrink to a fraction. Pure arithmetic on
 * counts the run and its predecessors' manifests already hold.
 */
public final class DriftGate {

  /** A run's own figures, before anything is written. */
  public record Figures(String purpose, String fineTuneOrgId, DecisionCounts counts, Map<String, Long> rowsByInput,
      long organizationsWithEligibleRows) {

    double eligibleShare() {
      return counts.candidates() == 0 ? 0 : 100.0 * counts.eligible() / counts.candidates();
    }
  }

  private final DriftLimits limits;

  public DriftGate(DriftLimits limits) {
    this.limits = limits;
  }

  public DriftLimits limits() {
    return limits;
  }

  /**
   * The check of {@code run} against {@code newestFirst} (earlier committed runs of its root; those
   * of another purpose or organization are left out). Past a limit the outcome is {@code ACCEPTED}
   * when {@code accepted}, else {@code STOPPED}: the caller then stops the run.
   */
  public DriftCheck check(Figures run, List<RunFigures> newestFirst, boolean accepted) {
    List<RunFigures> history = newestFirst.stream()
        .filter(earlier -> earlier.purpose().equals(run.purpose())
            && Objects.equals(earlier.fineTuneOrgId(), run.fineTuneOrgId()))
        .limit(limits.historyRuns())
        .toList();
    List<String> runIds = history.stream().map(RunFigures::runId).toList();
    if (history.size() < limits.minHistoryRuns()) {
      return new DriftCheck(DriftCheck.NO_HISTORY, limits.describe(), runIds, 0, List.of());
    }
    List<DriftCheck.Finding> findings = new ArrayList<>();
    int checked = 0;

    List<Double> shares = values(history, figures -> 100 * figures.eligibleShare());
    double shareMedian = median(shares);
    checked++;
    if (Math.abs(run.eligibleShare() - shareMedian) > limits.eligibleSharePoints()) {
      findings.add(finding("eligible_share", run.eligibleShare(), shares,
          format("at most %s points from the history's median (eligible_share_points)", limits.eligibleSharePoints()),
          format("the eligible share is %s%%, %s points from the median %s%% of the last %d runs %s",
              run.eligibleShare(), Math.abs(run.eligibleShare() - shareMedian), shareMedian, history.size(),
              percentList(shares))));
    }
    for (Map.Entry<String, Long> reason : run.counts().byReason().entrySet()) {
      List<Double> rows = values(history, figures -> figures.excludedByReason().getOrDefault(reason.getKey(), 0L));
      double median = median(rows);
      double ceiling = limits.reasonGrowthFactor() * Math.max(median, limits.reasonMinRows());
      checked++;
      if (reason.getValue() > ceiling) {
        findings.add(finding("reason:" + reason.getKey(), reason.getValue(), rows,
            format("at most %s times the history's median or reason_min_rows (reason_growth_factor)",
                limits.reasonGrowthFactor()),
            format("%s excluded %s rows, more than %s times the median %s (or %d) of the last %d runs %s",
                reason.getKey(), reason.getValue(), limits.reasonGrowthFactor(), median, limits.reasonMinRows(),
                history.size(), list(rows))));
      }
    }
    for (Map.Entry<String, Long> input : run.rowsByInput().entrySet()) {
      List<Double> rows = history.stream().filter(figures -> figures.rowsByInput().containsKey(input.getKey()))
          .map(figures -> (double) figures.rowsByInput().get(input.getKey())).toList();
      if (rows.isEmpty()) {
        continue;
      }
      double median = median(rows);
      checked++;
      if (input.getValue() < limits.inputShrinkFactor() * median) {
        findings.add(finding("input_rows:" + input.getKey(), input.getValue(), rows,
            format("at least %s of the history's median (input_shrink_factor)", limits.inputShrinkFactor()),
            format("%s has %s rows, fewer than %s of the median %s of the last %d runs %s", input.getKey(),
                input.getValue(), limits.inputShrinkFactor(), median, rows.size(), list(rows))));
      }
    }
    List<Double> organizations = values(history, figures -> figures.organizationsWithEligibleRows());
    double organizationsMedian = median(organizations);
    checked++;
    if (run.organizationsWithEligibleRows() < limits.organizationsShrinkFactor() * organizationsMedian) {
      findings.add(finding("organizations_with_eligible_rows", run.organizationsWithEligibleRows(), organizations,
          format("at least %s of the history's median (organizations_shrink_factor)", limits.organizationsShrinkFactor()),
          format("%s organizations have eligible rows, fewer than %s of the median %s of the last %d runs %s",
              run.organizationsWithEligibleRows(), limits.organizationsShrinkFactor(), organizationsMedian,
              history.size(), list(organizations))));
    }
    String outcome = findings.isEmpty() ? DriftCheck.PASSED : accepted ? DriftCheck.ACCEPTED : DriftCheck.STOPPED;
    return new DriftCheck(outcome, limits.describe(), runIds, checked, findings);
  }

  private static DriftCheck.Finding finding(String figure, double value, List<Double> history, String limit, String message) {
    return new DriftCheck.Finding(figure, value, history, limit, message);
  }

  private static List<Double> values(List<RunFigures> history, ToDoubleFunction<RunFigures> figure) {
    return history.stream().map(figures -> figure.applyAsDouble(figures)).toList();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String percentList(List<Double> shares) {
    return shares.stream().map(share -> number(share) + "%").toList().toString();
  }

  private static String list(List<Double> values) {
    return values.stream().map(DriftGate::number).toList().toString();
  }

  /** {@code pattern} with numbers printed plainly: integers without decimals, others to one decimal. */
  private static String format(String pattern, Object... arguments) {
    Object[] shown = new Object[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      shown[i] = arguments[i] instanceof Double value ? number(value) : arguments[i] instanceof Long value
          ? Long.toString(value) : arguments[i];
    }
    return String.format(Locale.ROOT, pattern.replace("%d", "%s"), shown);
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
