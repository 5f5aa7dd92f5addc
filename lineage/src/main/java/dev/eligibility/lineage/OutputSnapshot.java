package dev.eligibility.lineage;

import java.util.Objects;

/**
 * One table version a run produced.
 *
 * @param table {@code eligible} or {@code exclusions}
 * @param path the Delta table's location
 * @param deltaVersion the version the run committed; readers time-travel to it
 * @param rowCount rows the run wrote to that table
 * @param datasetDigest the {@link DatasetDigest} of those rows (every column, {@link CanonicalRow})
 * @param merkleRoot for {@code eligible}, the hex {@link MerkleTree} root over the sorted record
 *     ids (its leaf count is {@code rowCount}); null for {@code exclusions}, whose ids need not be
 *     unique
 */
public record OutputSnapshot(
    String table, String path, long deltaVersion, long rowCount, String datasetDigest, String merkleRoot) {

  public OutputSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(datasetDigest, "datasetDigest");
  }
}
