package dev.eligibility.jobs.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The run's digester of internal rows gives the digests of the plain-Java reference and of the
 * Column expressions {@code lineage verify} uses, for every kind of value, nulls included.
 */
class RowDigesterTest {

  /** A column of every encoding: the own ones, and types that fall back to Spark's JSON text. */
  static final StructType WIDE = new StructType()
      .add("record_id", DataTypes.StringType)
      .add("tiny", DataTypes.ByteType)
      .add("small", DataTypes.ShortType)
      .add("big", DataTypes.LongType)
      .add("local", DataTypes.TimestampNTZType)
      .add("ratio", DataTypes.FloatType)
      .add("score", DataTypes.DoubleType)
      .add("price", DataTypes.createDecimalType(10, 2))
      .add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
      .add("nested", new StructType().add("a", DataTypes.StringType).add("b", DataTypes.LongType))
      .add("blob", DataTypes.BinaryType);

  static List<Row> wideRows() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("w-1", (byte) -128, (short) 32767, Long.MIN_VALUE,
        LocalDateTime.parse("1969-12-31T23:59:59.999999"), 1.1f, -0.0d, new BigDecimal("12345678.90"),
        Map.of("k\"ey", 1), RowFactory.create("x;y", 7L), new byte[] {0, 1, -1}));
    rows.add(RowFactory.create("w-2", (byte) 0, (short) -1, Long.MAX_VALUE, LocalDateTime.parse("2023-03-01T00:00:00"),
        Float.NaN, Double.POSITIVE_INFINITY, new BigDecimal("-0.01"), Map.of(), RowFactory.create(null, null),
        new byte[0]));
    rows.add(RowFactory.create("w-3", null, null, null, null, null, null, null, null, null, null));
    rows.add(RowFactory.create(null, (byte) 1, (short) 2, 3L, null, 0.5f, 1e300, null, null, null, null));
    return rows;
  }

  @Test
  void digestsEqualTheJavaReferenceRowByRowAndAsATable() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(RowDigestsTest.rows(), RowDigestsTest.SCHEMA);
    assertThat(RowDigester.digest(frame, "record_id").hex()).isEqualTo(RowDigestsTest.reference(RowDigestsTest.rows()));
    for (Row row : RowDigestsTest.rows()) {
      Dataset<Row> one = TestSpark.session().createDataFrame(List.of(row), RowDigestsTest.SCHEMA);
      assertThat(RowDigester.digest(one, "record_id").hex())
          .as("row %s", row)
          .isEqualTo(DigestAlgorithm.CURRENT.empty().add(RowDigestsTest.rowDigest(row)).hex());
    }
  }

  @Test
  void digestsEqualTheColumnExpressionsForEveryOtherTypeAndNulls() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(wideRows(), WIDE);
    assertThat(RowDigester.digest(frame, "record_id").hex()).isEqualTo(RowDigests.digest(frame, "record_id").hex());
    for (Row row : wideRows()) {
      Dataset<Row> one = TestSpark.session().createDataFrame(List.of(row), WIDE);
      assertThat(RowDigester.digest(one, "record_id").hex())
          .as("row %s", row)
          .isEqualTo(RowDigests.digest(one, "record_id").hex());
    }
  }

  @Test
  void aPayloadLongerThanTheBufferIsHashedWhole() {
    char[] text = new char[5000];
    Arrays.fill(text, '\u00e9');
    String longPayload = new String(text);
    List<Row> rows = List.of(
        RowFactory.create("r-long", longPayload, true, 1L, 2, Timestamp.from(Instant.EPOCH), null, new String[] {"x"}),
        RowFactory.create("r-short", "s", false, 1L, 2, null, null, null));
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows, RowDigestsTest.SCHEMA);
    assertThat(RowDigester.digest(frame, "record_id").hex()).isEqualTo(RowDigestsTest.reference(rows));
  }

  @Test
  void theDigestIgnoresOrderAndPartitioningButNotContent() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(wideRows(), WIDE);
    String digest = RowDigester.digest(frame, "record_id").hex();
    assertThat(RowDigester.digest(frame.repartition(3), "record_id").hex()).isEqualTo(digest);
    assertThat(RowDigester.digest(frame.orderBy(frame.col("small").desc()).coalesce(1), "record_id").hex())
        .isEqualTo(digest);
    assertThat(RowDigester.digest(frame.limit(3), "record_id").count()).isEqualTo(3);
    Dataset<Row> changed = frame.withColumn("tiny", frame.col("tiny").plus(1).cast(DataTypes.ByteType));
    assertThat(RowDigester.digest(changed, "record_id").hex()).isNotEqualTo(digest);
  }

  @Test
  void aProjectionSharedByDigestersReadsEachColumnOnce() {
    Dataset<Row> frame = TestSpark.session().createDataFrame(RowDigestsTest.rows(), RowDigestsTest.SCHEMA);
    RowDigester.Projection projection = new RowDigester.Projection();
    RowDigester.of(frame.schema(), RowDigests::column, RowDigests.column("record_id"), projection);
    int columns = projection.rowsOf(frame).first().numFields();
    RowDigester.of(frame.schema(), RowDigests::column, RowDigests.column("record_id"), projection);
    assertThat(projection.rowsOf(frame).first().numFields()).isEqualTo(columns);
    // The record id is also a column of the row, so it is read once.
    assertThat(columns).isEqualTo(RowDigestsTest.SCHEMA.size());
  }
}
