package dev.eligibility.jobs.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How an input table is stored. */
public enum TableFormat {
  DELTA,
  PARQUET,
  /** JSON Lines: one object per line. */
  JSON,
  /** CSV with a header line. */
  CSV;

  /** The spelling used in run specs and by Spark's readers. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TableFormat> fromKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key().equals(key)).findFirst();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(TableFormat::key).toList();
  }
}
