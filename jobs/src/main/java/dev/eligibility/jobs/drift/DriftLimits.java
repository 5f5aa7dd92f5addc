package dev.eligibility.jobs.drift;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.StrictYaml;
import dev.eligibility.lineage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The limits of the drift gate (see {@code conf/drift.yaml} for what each means).
 *
 * @param source where they were read ({@code bundled:/conf/drift.yaml} or a file)
 * @param sha256 hex SHA-256 of that file's bytes
 */
public record DriftLimits(String source, String sha256, int historyRuns, int minHistoryRuns,
    double eligibleSharePoints, double reasonGrowthFactor, long reasonMinRows, double inputShrinkFactor,
    double organizationsShrinkFactor) {

  static final String BUNDLED = "/conf/drift.yaml";
  private static final Set<String> KEYS = Set.of("history_runs", "min_history_runs", "eligible_share_points",
      "reason_growth_factor", "reason_min_rows", "input_shrink_factor", "organizations_shrink_factor");

  /** The limits bundled with this build ({@code conf/drift.yaml}). */
  public static DriftLimits bundled() {
    try (InputStream in = DriftLimits.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(BUNDLED + " is missing from the build");
      }
      return parse("bundled:" + BUNDLED, in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + BUNDLED, e);
    }
  }

  /** The limits in {@code file}. */
  public static DriftLimits load(Path file) {
    try {
      return parse(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the drift limits cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static DriftLimits parse(String source, byte[] bytes) {
    StrictYaml yaml = StrictYaml.parse(source, bytes, KEYS);
    return new DriftLimits(source, Sha256.hex(Sha256.of(bytes)),
        (int) number(yaml, "history_runs", 1, 1000), (int) number(yaml, "min_history_runs", 1, 1000),
        number(yaml, "eligible_share_points", 0, 100), number(yaml, "reason_growth_factor", 1, 1e9),
        (long) number(yaml, "reason_min_rows", 0, 1e15), number(yaml, "input_shrink_factor", 0, 1),
        number(yaml, "organizations_shrink_factor", 0, 1));
  }

  private static double number(StrictYaml yaml, String key, double min, double max) {
    String text = yaml.requiredText(key);
    try {
      double value = Double.parseDouble(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Errors.badValue(yaml.file(), yaml.keyPath(key), text, "a number from " + format(min) + " to " + format(max));
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** Where these limits came from, for the manifest: source and digest. */
  public String describe() {
    return source + " (sha256 " + sha256 + ")";
  }
}
