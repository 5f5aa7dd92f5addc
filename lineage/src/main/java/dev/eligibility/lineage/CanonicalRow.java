package dev.eligibility.lineage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical encoding of one table row and its row digest ({@code eligibility-row/v1}): the
 * reference implementation of what the Spark job computes with Column expressions, so anyone can
 * recompute a dataset digest from the rows themselves.
 *
 * <pre>
 *   row        = field*                      fields in ascending unsigned UTF-8 order of column name
 *   field      = len(name) ":" name value ";"
 *   value      = "~"                         null
 *              | "s" len(v) ":" v            string
 *              | "b1" | "b0"                 boolean
 *              | "i" decimal                 byte, short, int, long
 *              | "t" decimal                 timestamp, microseconds since 1970-01-01T00:00:00Z
 *              | "d" decimal                 date, days since 1970-01-01
 *              | "j" len(j) ":" j            any other type: j = Spark's to_json of {"v": value}
 *   row_digest = SHA-256("eligibility-row/v1\n" || id || "\n" || row)
 *   id         = "~" when record_id is null, else len(record_id) ":" record_id
 * </pre>
 *
 * Lengths are UTF-8 byte counts in decimal; all text is UTF-8.
 */
public final class CanonicalRow {

  /** Domain tag of the row digest. */
  public static final String ALGORITHM = "eligibility-row/v1";

  private CanonicalRow() {}

  /** A value of a type without its own encoding, given as Spark's {@code to_json({"v": value})}. */
  public record JsonText(String json) {}

  /**
   * The row digest of a row given as column name to value ({@code null}, {@link String},
   * {@link Boolean}, {@link Byte}, {@link Short}, {@link Integer}, {@link Long}, {@link Instant},
   * {@link LocalDate} or {@link JsonText}).
   */
  public static byte[] rowDigest(String recordId, Map<String, ?> row) {
    String id = recordId == null ? "~" : length(recordId) + ":" + recordId;
    return Sha256.of((ALGORITHM + "\n" + id + "\n" + encode(row)).getBytes(StandardCharsets.UTF_8));
  }

  /** The canonical encoding of a row. */
  public static String encode(Map<String, ?> row) {
    List<String> names = new ArrayList<>(row.keySet());
    names.sort(MerkleTree::compareIds);
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      out.append(length(name)).append(':').append(name).append(value(name, row.get(name))).append(';');
    }
    return out.toString();
  }

  private static String value(String name, Object value) {
    if (value == null) {
      return "~";
    }
    if (value instanceof String text) {
      return "s" + length(text) + ":" + text;
    }
    if (value instanceof Boolean flag) {
      return flag ? "b1" : "b0";
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
      return "i" + value;
    }
    if (value instanceof Instant instant) {
      return "t" + ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
    if (value instanceof LocalDate date) {
      return "d" + date.toEpochDay();
    }
    if (value instanceof JsonText json) {
      return "j" + length(json.json()) + ":" + json.json();
    }
    throw new IllegalArgumentException("column '" + name + "' has a value of type " + value.getClass().getName()
        + " without a canonical encoding; pass it as JsonText");
  }

  private static int length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
