package dev.eligibility.lineage;

import java.util.Objects;

/**
 * One table as a run read it.
 *
 * @param table the contract table ({@code corpus}, {@code api_requests}, ...)
 * @param name the input's name: a corpus input's own name, else the table name
 * @param path where it was read from
 * @param format {@code delta}, {@code parquet}, {@code json} or {@code csv}
 * @param deltaVersion the Delta version read (pinned for the whole run); null for other formats
 * @param rowCount rows read
 */
public record InputSnapshot(
    String table, String name, String path, String format, Long deltaVersion, long rowCount) {

  public InputSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
  }
}
