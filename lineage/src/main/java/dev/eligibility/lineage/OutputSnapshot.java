package dev.eligibility.lineage;

import java.util.Objects;

/**
 * One table version a run produced.
 *
 * @param table {@code eligible} or {@code exclusions}
 * @param path the Delta table's location
 * @param deltaVersion the version the run committed; readers time-travel to it
 * @param rowCount rows the run wrote to that table
 */
public record OutputSnapshot(String table, String path, long deltaVersion, long rowCount) {

  public OutputSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(path, "path");
  }
}
