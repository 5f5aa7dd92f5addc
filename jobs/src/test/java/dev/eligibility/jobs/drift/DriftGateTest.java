package dev.eligibility.jobs.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.DriftCheck;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each limit of the bundled conf/drift.yaml, just inside and just past it, and the history it needs. */
class DriftGateTest {

  static final DriftGate GATE = new DriftGate(DriftLimits.bundled());

  /** A run of 1,000 candidates: {@code eligible} eligible, the rest NO_OPT_IN, plus {@code optOut} ORG_OPTED_OUT. */
  static DecisionCounts counts(long eligible, long optOut) {
    Map<String, Long> byReason = new LinkedHashMap<>();
    byReason.put("ORG_OPTED_OUT", optOut);
    byReason.put("NO_OPT_IN", 1000 - eligible - optOut);
    return new DecisionCounts(1000, eligible, 1000 - eligible, byReason, Map.of());
  }

  static RunFigures earlier(String runId, long eligible, long optOut, long webRows, long organizations) {
    DecisionCounts counts = counts(eligible, optOut);
    return new RunFigures(runId, "BASE_MODEL", null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, counts.candidates(),
        counts.eligible(), counts.excluded(), counts.eligible() / 1000.0, counts.byReason(), Map.of("corpus 'web'", webRows),
        organizations, "FULL", 1000, "d-" + runId, null, "UNSIGNED");
  }

  static final List<RunFigures> HISTORY = List.of(earlier("n3", 500, 10, 1000, 40), earlier("n2", 480, 12, 1000, 40),
      earlier("n1", 520, 8, 1000, 40));

  static DriftCheck check(long eligible, long optOut, long webRows, long organizations) {
    return GATE.check(new DriftGate.Figures("BASE_MODEL", null, counts(eligible, optOut), Map.of("corpus 'web'", webRows),
        organizations), HISTORY, false);
  }

  @Test
  void figuresWithinEveryLimitPass() {
    DriftCheck check = check(700, 100, 500, 20);
    assertThat(check.outcome()).isEqualTo(DriftCheck.PASSED);
    assertThat(check.historyRunIds()).containsExactly("n3", "n2", "n1");
    assertThat(check.figuresChecked()).isEqualTo(5); // share, two reasons, one input, organizations
  }

  @Test
  void theEligibleShareMayMoveTwentyPointsFromTheMedian() {
    assertThat(check(700, 10, 1000, 40).findings()).isEmpty(); // 70% against the median 50%
    DriftCheck past = check(701, 10, 1000, 40);
    assertThat(past.outcome()).isEqualTo(DriftCheck.STOPPED);
    assertThat(past.findings()).extracting(DriftCheck.Finding::figure).containsExactly("eligible_share");
    assertThat(past.findings().get(0).message())
        .isEqualTo("the eligible share is 70.1%, 20.1 points from the median 50% of the last 3 runs [50%, 48%, 52%]");
  }

  @Test
  void aReasonMayGrowTenfoldOverItsMedianOrAHundredRows() {
    assertThat(check(500, 1000, 1000, 40).findings()).isEmpty(); // ORG_OPTED_OUT 1000 = 10 x max(10, 100)
    assertThat(check(499, 1001, 1000, 40).findings()).extracting(DriftCheck.Finding::figure)
        .containsExactly("reason:ORG_OPTED_OUT");
  }

  @Test
  void anInputMayShrinkToHalfItsMedian() {
    assertThat(check(500, 10, 500, 40).findings()).isEmpty();
    DriftCheck past = check(500, 10, 499, 40);
    assertThat(past.findings()).extracting(DriftCheck.Finding::figure).containsExactly("input_rows:corpus 'web'");
    assertThat(past.findings().get(0).message())
        .isEqualTo("corpus 'web' has 499 rows, fewer than 0.5 of the median 1000 of the last 3 runs [1000, 1000, 1000]");
  }

  @Test
  void organizationsWithEligibleRowsMayDropToHalfTheirMedian() {
    assertThat(check(500, 10, 1000, 20).findings()).isEmpty();
    assertThat(check(500, 10, 1000, 19).findings()).extracting(DriftCheck.Finding::figure)
        .containsExactly("organizations_with_eligible_rows");
  }

  @Test
  void pastALimitAcceptedDriftCommitsWithTheFindings() {
    DriftCheck accepted = GATE.check(new DriftGate.Figures("BASE_MODEL", null, counts(900, 10), Map.of(), 40), HISTORY,
        true);
    assertThat(accepted.outcome()).isEqualTo(DriftCheck.ACCEPTED);
    assertThat(accepted.findings()).hasSize(1);
  }

  @Test
  void fewerThanThreeEarlierRunsOfTheSamePurposeAreNoHistory() {
    DriftGate.Figures run = new DriftGate.Figures("BASE_MODEL", null, counts(900, 10), Map.of(), 0);
    assertThat(GATE.check(run, HISTORY.subList(0, 2), false).outcome()).isEqualTo(DriftCheck.NO_HISTORY);
    DriftGate.Figures fineTune = new DriftGate.Figures("FINE_TUNE", "org-1", counts(900, 10), Map.of(), 0);
    assertThat(GATE.check(fineTune, HISTORY, false).outcome()).as("other purpose").isEqualTo(DriftCheck.NO_HISTORY);
  }

  @Test
  void limitsOutsideTheirRangeAreRejectedNamingTheKey() {
    String bundled = "history_runs: 7\nmin_history_runs: 3\neligible_share_points: 20\nreason_growth_factor: 10\n"
        + "reason_min_rows: 100\ninput_shrink_factor: 1.5\norganizations_shrink_factor: 0.5\n";
    assertThatThrownBy(() -> DriftLimits.parse("drift.yaml", bundled.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EligibilityException.class)
        .hasMessage("drift.yaml: key 'input_shrink_factor' has value '1.5'; expected a number from 0 to 1.");
  }
}
