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
 * @param datasetDigest the {@link DatasetDigest} of the rows as bound to the data contract (contract
 *     columns with their contract types, plus a corpus input's extra columns), id column as record id
 */
public record InputSnapshot(
    String table, String name, String path, String format, Long deltaVersion, long rowCount, String datasetDigest) {

  public InputSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(datasetDigest, "datasetDigest");
  }
}
