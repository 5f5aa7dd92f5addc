package dev.eligibility.jobs.evidence;

import static org.apache.spark.sql.functions.sha2;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.CanonicalRow;
import dev.eligibility.lineage.CanonicalRow.JsonText;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.Sha256;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Spark row digests equal the plain-Java reference, whatever the order or partitioning. */
class RowDigestsTest {

  static final StructType SCHEMA = new StructType()
      .add("record_id", DataTypes.StringType)
      .add("content", DataTypes.StringType)
      .add("Zeta", DataTypes.BooleanType)
      .add("n", DataTypes.LongType)
      .add("i", DataTypes.IntegerType)
      .add("at", DataTypes.TimestampType)
      .add("day", DataTypes.DateType)
      .add("tags", DataTypes.createArrayType(DataTypes.StringType));

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("r-1", "h\u00e9llo; w\u00f6rld:1", true, 5L, -3,
        Timestamp.from(Instant.parse("2023-03-01T00:00:00.000001Z")), Date.valueOf(LocalDate.of(2024, 2, 29)),
        new String[] {"a", "b\"c"}));
    rows.add(RowFactory.create("r-2", "", false, -9_000_000_000L, 0,
        Timestamp.from(Instant.parse("1969-12-31T23:59:59.999999Z")), Date.valueOf(LocalDate.of(1960, 1, 1)), new String[0]));
    rows.add(RowFactory.create(null, null, null, null, null, null, null, null));
    rows.add(RowFactory.create("\uD83D\uDE00", "emoji id", true, 0L, 1, null, null, null));
    return rows;
  }

  static String reference(List<Row> rows) {
    return reference(rows, DigestAlgorithm.CURRENT);
  }

  static String reference(List<Row> rows, DigestAlgorithm algorithm) {
    DatasetDigest digest = algorithm.empty();
    rows.forEach(row -> digest.add(rowDigest(row)));
    return digest.hex();
  }

  /** The row's digest by the plain-Java reference implementation of the canonical row. */
  static byte[] rowDigest(Row row) {
    Map<String, Object> values = new HashMap<>();
    values.put("record_id", row.get(0));
    values.put("content", row.get(1));
    values.put("Zeta", row.get(2));
    values.put("n", row.get(3));
    values.put("i", row.get(4));
    values.put("at", row.isNullAt(5) ? null : row.getTimestamp(5).toInstant());
    values.put("day", row.isNullAt(6) ? null : row.getDate(6).toLocalDate());
    values.put("tags", row.isNullAt(7) ? null : new JsonText(json((String[]) row.get(7))));
    return CanonicalRow.rowDigest(row.getString(0), values);
  }

  static String json(String[] tags) {
    StringBuilder out = new StringBuilder("{\"v\":[");
    for (int i = 0; i < tags.length; i++) {
      out.append(i == 0 ? "" : ",").append('"').append(tags[i].replace("\"", "\\\"")).append('"');
    }
    return out.append("]}").toString();
  }

  @Test
  void sparkDigestEqualsTheJavaReferenceImplementation() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows(), SCHEMA);
    assertThat(RowDigests.digest(frame, "record_id").hex()).isEqualTo(reference(rows()));
  }

  /**
   * What verifying a record written before needs: both Spark implementations digest by the
   * algorithm asked for, the v1 sum included, and rows given only as their row digests (evidence)
   * give the same digest.
   */
  @Test
  void everyImplementationDigestsByTheAlgorithmAskedFor() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows(), SCHEMA).repartition(2);
    Dataset<Row> rowDigests = frame.select(RowDigests.rowDigest(frame, "record_id").as("row_digest"));
    for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
      String expected = reference(rows(), algorithm);
      assertThat(RowDigests.digest(frame, "record_id", algorithm).hex()).as("%s", algorithm).isEqualTo(expected);
      assertThat(RowDigester.digest(frame, "record_id", algorithm).hex()).as("%s", algorithm).isEqualTo(expected);
      assertThat(RowDigests.digestOfRowDigests(rowDigests, "row_digest", algorithm).hex()).as("%s", algorithm)
          .isEqualTo(expected);
    }
    assertThat(reference(rows(), DigestAlgorithm.ADDITIVE_V1)).isNotEqualTo(reference(rows(), DigestAlgorithm.LTHASH_V2));
  }

  @Test
  void theDigestIgnoresOrderAndPartitioningButNotContent() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows(), SCHEMA);
    String digest = RowDigests.digest(frame, "record_id").hex();
    assertThat(RowDigests.digest(frame.repartition(3), "record_id").hex()).isEqualTo(digest);
    assertThat(RowDigests.digest(frame.orderBy(frame.col("n").desc()).coalesce(1), "record_id").hex()).isEqualTo(digest);
    List<Row> changed = new ArrayList<>(rows());
    changed.set(1, RowFactory.create("r-2", " ", false, -9_000_000_000L, 0,
        Timestamp.from(Instant.parse("1969-12-31T23:59:59.999999Z")), Date.valueOf(LocalDate.of(1960, 1, 1)), new String[0]));
    assertThat(RowDigests.digest(TestSpark.session().createDataFrame(changed, SCHEMA), "record_id").hex())
        .isNotEqualTo(digest);
    assertThat(RowDigests.digest(frame.limit(3), "record_id").count()).isEqualTo(3);
  }

  @Test
  void eachRowEncodingHashesToTheReferenceRowDigest() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows(), SCHEMA);
    List<String> sparkRowDigests = frame.select(sha2(RowDigests.rowEncoding(frame, "record_id"), 256)).collectAsList()
        .stream().map(row -> row.getString(0)).sorted().toList();
    List<String> referenceRowDigests = rows().stream()
        .map(row -> Sha256.hex(rowDigest(row)))
        .sorted().toList();
    assertThat(sparkRowDigests).hasSize(4).isEqualTo(referenceRowDigests);
  }

  /** The v7 commitment: one byte of one row's payload changes the set's digest and that row's Merkle leaf, not its id. */
  @Test
  void aPayloadChangedByOneByteChangesTheSetDigestAndTheMerkleRoot() {
    List<Row> changed = new ArrayList<>(rows());
    Row first = changed.get(0);
    changed.set(0, RowFactory.create(first.get(0), "h\u00e9llo; w\u00f6rld:2", first.get(2), first.get(3), first.get(4),
        first.get(5), first.get(6), first.get(7)));
    Dataset<Row> before = TestSpark.session().createDataFrame(rows(), SCHEMA).filter("record_id IS NOT NULL");
    Dataset<Row> after = TestSpark.session().createDataFrame(changed, SCHEMA).filter("record_id IS NOT NULL");
    assertThat(RowDigests.digest(after, "record_id").hex()).isNotEqualTo(RowDigests.digest(before, "record_id").hex());
    assertThat(MerkleRoots.ofLeaves(leaves(after), "record_id", "row_digest"))
        .isNotEqualTo(MerkleRoots.ofLeaves(leaves(before), "record_id", "row_digest"));
    // A tree of the ids alone (record format v6) could not tell.
    assertThat(MerkleRoots.ofRecordIds(after, "record_id")).isEqualTo(MerkleRoots.ofRecordIds(before, "record_id"));
  }

  private static Dataset<Row> leaves(Dataset<Row> rows) {
    return rows.select(org.apache.spark.sql.functions.col("record_id"), RowDigests.rowDigest(rows, "record_id").as("row_digest"));
  }
}
