package dev.eligibility.jobs.output;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.lineage.CanonicalRow;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Dataset digests ({@link DatasetDigest}) of Spark tables, with the row digest of
 * {@link CanonicalRow} written as Column expressions (no UDF), summed per 32-bit lane in one
 * aggregation. The result does not depend on row order or partitioning.
 *
 * <p>Why a separate aggregation and not metrics observed during the Delta write: Delta runs the
 * write in a query execution of its own, which does not report {@code Dataset.observe} metrics
 * to the caller (delta-io/delta#4136), so an observation would never complete. The run digests
 * its persisted decided rows instead, which reads no input twice.
 */
public final class RowDigests {

  private RowDigests() {}

  /** The hex row digest of every row, over all of its columns. */
  public static Column rowDigestHex(Dataset<Row> rows, String recordIdColumn) {
    return rowDigestHex(rows.schema(), name -> col("`" + name.replace("`", "``") + "`"), col(recordIdColumn));
  }

  /**
   * The hex row digest of rows with {@code schema}, whose column {@code name} is read through
   * {@code columnOf} (so a frame may hold the columns under other names) and whose record id is
   * {@code id}.
   */
  public static Column rowDigestHex(StructType schema, Function<String, Column> columnOf, Column id) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    fields.sort((a, b) -> MerkleTree.compareIds(a.name(), b.name()));
    List<Column> parts = new ArrayList<>();
    parts.add(lit(CanonicalRow.ALGORITHM + "\n"));
    parts.add(when(id.isNull(), lit("~")).otherwise(concat(octet_length(id).cast("string"), lit(":"), id)));
    parts.add(lit("\n"));
    for (StructField field : fields) {
      String name = field.name();
      parts.add(lit(name.getBytes(StandardCharsets.UTF_8).length + ":" + name));
      Column value = columnOf.apply(name);
      parts.add(when(value.isNull(), lit("~")).otherwise(encode(value, field.dataType())));
      parts.add(lit(";"));
    }
    return sha2(concat(parts.toArray(Column[]::new)), 256);
  }

  private static Column encode(Column value, DataType type) {
    if (type instanceof StringType) {
      return concat(lit("s"), octet_length(value).cast("string"), lit(":"), value);
    }
    if (type instanceof BooleanType) {
      return when(value, lit("b1")).otherwise(lit("b0"));
    }
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType) {
      return concat(lit("i"), value.cast("string"));
    }
    if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return concat(lit("t"), org.apache.spark.sql.functions.unix_micros(value.cast(DataTypes.TimestampType)).cast("string"));
    }
    if (type instanceof DateType) {
      return concat(lit("d"), org.apache.spark.sql.functions.unix_date(value).cast("string"));
    }
    Column json = to_json(struct(value.as("v")));
    return concat(lit("j"), octet_length(json).cast("string"), lit(":"), json);
  }

  /** The column {@link #withRowDigest} adds. */
  public static final String ROW_DIGEST = "__elig_row_digest";

  /** The dataset digest of {@code rows}, in one Spark job. */
  public static DatasetDigest digest(Dataset<Row> rows, String recordIdColumn) {
    Dataset<Row> digested = rows.select(rowDigestHex(rows, recordIdColumn).as(ROW_DIGEST));
    List<Column> aggregates = new ArrayList<>(laneSums(col(ROW_DIGEST)));
    Row result = digested.agg(count(lit(1)), aggregates.toArray(Column[]::new)).head();
    return fromLaneSums(result, 1, result.getLong(0));
  }

  /**
   * {@code rows} with the row digest as column {@link #ROW_DIGEST}. The lane sums read the digest
   * eight times; projected first, it is computed once per row (Spark does not merge a projection
   * holding an expensive expression into an aggregate that would repeat it).
   */
  public static Dataset<Row> withRowDigest(Dataset<Row> rows, Column rowDigestHex) {
    return rows.withColumn(ROW_DIGEST, rowDigestHex);
  }

  /**
   * Eight aggregate columns: the sums of the row digests' 32-bit lanes, most significant first.
   * Give it a column reference ({@link #ROW_DIGEST}), not the digest expression, or the digest is
   * computed once per lane.
   */
  public static List<Column> laneSums(Column rowDigestHex) {
    List<Column> sums = new ArrayList<>();
    for (int lane = 0; lane < 8; lane++) {
      sums.add(coalesce(sum(conv(substring(rowDigestHex, 1 + 8 * lane, 8), 16, 10).cast("long")), lit(0L))
          .as("__elig_lane_" + lane));
    }
    return sums;
  }

  /** The digest from the eight lane sums found in {@code row} from index {@code first} on. */
  public static DatasetDigest fromLaneSums(Row row, int first, long rows) {
    long[] lanes = new long[8];
    for (int lane = 0; lane < 8; lane++) {
      lanes[lane] = row.getLong(first + lane);
    }
    return new DatasetDigest().addLaneSums(lanes, rows);
  }
}
