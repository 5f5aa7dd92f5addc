package dev.eligibility.jobs.policy;

import java.util.Arrays;
import java.util.List;

/** Where a candidate row came from ({@code source_kind}); any other value is invalid. */
public enum SourceKind {
  PUBLIC_WEB,
  LICENSED,
  HUMAN_REVIEWER,
  API,
  FINE_TUNE_FILE,
  FINE_TUNED_INFERENCE,
  CONSUMER_APP;

  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
