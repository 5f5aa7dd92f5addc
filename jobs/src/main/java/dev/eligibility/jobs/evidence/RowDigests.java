package dev.eligibility.jobs.evidence;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udaf;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.lineage.CanonicalRow;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
 * Dataset digests ({@link DatasetDigest}) of Spark tables: the canonical row encoding of
 * {@link CanonicalRow} written as Column expressions, hashed and summed by {@link DigestSum} in
 * one aggregation. The result does not depend on row order or partitioning. (A row's digest on
 * its own is {@code sha2(rowEncoding(...), 256)}.)
 *
 * <p>{@code lineage verify} digests the written outputs with this; a run computes its digests with
 * {@link RowDigester}, faster, so the run's output digests and the verifier's are computed by
 * different code. (Neither is taken from metrics observed during the Delta write: Delta runs the
 * write in a query execution of its own, which does not report {@code Dataset.observe} metrics to
 * the caller, delta-io/delta#4136, so an observation would never complete.)
 */
public final class RowDigests {

  private RowDigests() {}

  /** The canonical encoding (bytes) of every row, over all of its columns. */
  public static Column rowEncoding(Dataset<Row> rows, String recordIdColumn) {
    return rowEncoding(rows.schema(), RowDigests::column, col(recordIdColumn));
  }

  /** The column named {@code name}, quoted, so that a name with a dot or a backtick is one column. */
  public static Column column(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /**
   * The canonical encoding (bytes) of rows with {@code schema}, whose column {@code name} is read
   * through {@code columnOf} (so a frame may hold the columns under other names) and whose record
   * id is {@code id}.
   */
  private static Column rowEncoding(StructType schema, Function<String, Column> columnOf, Column id) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    fields.sort((a, b) -> MerkleTree.compareIds(a.name(), b.name()));
    Encoding row = new Encoding();
    row.text(CanonicalRow.ALGORITHM + "\n");
    row.lengthPrefixed("", id);
    row.text("\n");
    for (StructField field : fields) {
      String name = field.name();
      row.text(name.getBytes(StandardCharsets.UTF_8).length + ":" + name);
      Column value = columnOf.apply(name);
      if (field.dataType() instanceof StringType) {
        row.lengthPrefixed("s", value);
      } else {
        row.part(when(value.isNull(), lit("~")).otherwise(encode(value, field.dataType())));
      }
      row.text(";");
    }
    return row.concatenated().cast(DataTypes.BinaryType);
  }

  /** The parts of a canonical row, adjacent literal texts merged into one. */
  private static final class Encoding {
    private final List<Column> parts = new ArrayList<>();
    private final StringBuilder pendingText = new StringBuilder();

    void text(String text) {
      pendingText.append(text);
    }

    void part(Column column) {
      flushText();
      parts.add(column);
    }

    /**
     * {@code ~} for null, else {@code tag}, the UTF-8 length, {@code :} and the text: header and
     * text as separate parts of the one concat, so a long payload is copied once.
     */
    void lengthPrefixed(String tag, Column text) {
      part(when(text.isNull(), lit("~")).otherwise(concat(lit(tag), octet_length(text).cast("string"), lit(":"))));
      part(coalesce(text, lit("")));
    }

    Column concatenated() {
      flushText();
      return concat(parts.toArray(Column[]::new));
    }

    private void flushText() {
      if (pendingText.length() > 0) {
        parts.add(lit(pendingText.toString()));
        pendingText.setLength(0);
      }
    }
  }

  private static Column encode(Column value, DataType type) {
    if (type instanceof BooleanType) {
      return when(value, lit("b1")).otherwise(lit("b0"));
    }
    if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType) {
      return concat(lit("i"), value.cast("string"));
    }
    if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return concat(lit("t"), unix_micros(value.cast(DataTypes.TimestampType)).cast("string"));
    }
    if (type instanceof DateType) {
      return concat(lit("d"), unix_date(value).cast("string"));
    }
    Column json = to_json(struct(value.as("v")));
    return concat(lit("j"), octet_length(json).cast("string"), lit(":"), json);
  }

  private static final String ROW_ENCODING = "__elig_row_encoding";

  /** A table's row count and hex dataset digest. */
  public record TableDigest(long count, String hex) {

  }

  /**
   * Each row's SHA-256 digest (32 bytes) of its canonical encoding: what {@link #digest} sums, kept
   * per row where the rows themselves will not be (a run's evidence).
   */
  public static Column rowDigest(Dataset<Row> rows, String recordIdColumn) {
    return org.apache.spark.sql.functions.unhex(org.apache.spark.sql.functions.sha2(rowEncoding(rows, recordIdColumn), 256));
  }

  /**
   * The dataset digest, by {@code algorithm}, of rows given only as their {@link #rowDigest}s in
   * {@code digestColumn}.
   */
  public static TableDigest digestOfRowDigests(Dataset<Row> digests, String digestColumn, DigestAlgorithm algorithm) {
    Row result = digests.agg(count(lit(1)), udaf(new RowDigestSum(algorithm), Encoders.BINARY()).apply(col(digestColumn)))
        .head();
    long count = result.getLong(0);
    return new TableDigest(count, algorithm.ofState((byte[]) result.get(1), count).hex());
  }

  /** The dataset digest of {@code rows} by the current algorithm, in one Spark job. */
  public static TableDigest digest(Dataset<Row> rows, String recordIdColumn) {
    return digest(rows, recordIdColumn, DigestAlgorithm.CURRENT);
  }

  /** The dataset digest of {@code rows} by {@code algorithm}, in one Spark job. */
  public static TableDigest digest(Dataset<Row> rows, String recordIdColumn, DigestAlgorithm algorithm) {
    Row result = rows.select(rowEncoding(rows, recordIdColumn).as(ROW_ENCODING))
        .agg(count(lit(1)), udaf(new DigestSum(algorithm), Encoders.BINARY()).apply(col(ROW_ENCODING)))
        .head();
    long count = result.getLong(0);
    return new TableDigest(count, algorithm.ofState((byte[]) result.get(1), count).hex());
  }
}
