package dev.eligibility.lineage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How every candidate row of a run was decided.
 *
 * @param candidates rows read from all corpus inputs
 * @param eligible rows written to the eligible table
 * @param excluded rows written to the exclusions table
 * @param byReason excluded rows per primary reason, every reason listed in policy order
 * @param bySourceKind outcome per {@code source_kind} as read (invalid kinds included), in key order
 */
public record DecisionCounts(
    long candidates,
    long eligible,
    long excluded,
    Map<String, Long> byReason,
    Map<String, KindCounts> bySourceKind) {

  public DecisionCounts {
    if (eligible + excluded != candidates) {
      throw new IllegalArgumentException(
          "eligible (" + eligible + ") + excluded (" + excluded + ") != candidates (" + candidates + ")");
    }
    byReason = Collections.unmodifiableMap(new LinkedHashMap<>(byReason));
    bySourceKind = Collections.unmodifiableMap(new TreeMap<>(bySourceKind));
  }

  /**
   * Outcome for one source kind.
   *
   * @param eligible rows of the kind that are eligible
   * @param excluded rows of the kind that are excluded
   */
  public record KindCounts(long eligible, long excluded) {}
}
