package dev.eligibility.jobs.evidence;


import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.named_struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.lineage.CanonicalRow;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.Sha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
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
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The row digest of {@link CanonicalRow} ({@code eligibility-row/v1}) of Spark's internal rows,
 * in plain Java: each value is read from its place in a projected row and written with its header
 * into one reused buffer, which is hashed once. The rows come from a {@link Projection} that
 * several digesters share, so one pass over a table digests it as several tables at once.
 *
 * <p>Why not the Column expressions of {@link RowDigests}: building the encoding as a Spark string
 * (lengths cast to strings, one concatenation, a copy to binary, the typed aggregator's input)
 * spent most of the time of the run's digest pass in allocating and copying (profiled on the
 * benchmark corpus); writing into one buffer does none of that. {@link RowDigests} stays the
 * implementation {@code lineage verify} and the input checks use, so the run's digests and the
 * verifier's are computed by different code, and both are tested against {@link CanonicalRow}.
 */
public final class RowDigester implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final byte[] PREFIX = (CanonicalRow.ALGORITHM + "\n").getBytes(StandardCharsets.UTF_8);

  /** How a value is read from the projected row and encoded. */
  private enum Kind { STRING, JSON, BOOLEAN, BYTE, SHORT, INT, LONG, TIMESTAMP, DATE }

  /** One column: {@code len(name) ":" name}, then its value read from {@code ordinal} as {@code kind}. */
  private record Field(byte[] header, Kind kind, int ordinal) implements Serializable {}

  private final int idOrdinal;
  private final Field[] fields;

  private RowDigester(int idOrdinal, Field[] fields) {
    this.idOrdinal = idOrdinal;
    this.fields = fields;
  }

  /**
   * A digester of the rows {@code columns} (name to expression over {@code frame}) make of
   * {@code frame}, whose record id is the column {@code recordIdColumn}; the values it reads are
   * added to {@code projection}.
   */
  public static RowDigester of(Dataset<Row> frame, Map<String, Column> columns, String recordIdColumn,
      Projection projection) {
    StructType schema = frame.select(named(columns)).schema();
    return of(schema, columns::get, columns.get(recordIdColumn), projection);
  }

  /**
   * A digester of rows with {@code schema}, whose column {@code name} is the expression
   * {@code columnOf(name)} and whose record id is {@code id} (a string); the values it reads are
   * added to {@code projection}.
   */
  public static RowDigester of(StructType schema, Function<String, Column> columnOf, Column id, Projection projection) {
    List<StructField> sorted = new ArrayList<>(Arrays.asList(schema.fields()));
    sorted.sort((a, b) -> MerkleTree.compareIds(a.name(), b.name()));
    List<Field> fields = new ArrayList<>();
    for (StructField field : sorted) {
      String name = field.name();
      byte[] header = (name.getBytes(StandardCharsets.UTF_8).length + ":" + name).getBytes(StandardCharsets.UTF_8);
      Column value = columnOf.apply(name);
      Kind kind = kindOf(field.dataType());
      fields.add(new Field(header, kind, projection.add(projected(value, field.dataType(), kind))));
    }
    return new RowDigester(projection.add(id.cast(DataTypes.StringType)), fields.toArray(Field[]::new));
  }

  /** The expressions of {@code columns}, each aliased to its name. */
  public static Column[] named(Map<String, Column> columns) {
    return columns.entrySet().stream().map(e -> e.getValue().as(e.getKey())).toArray(Column[]::new);
  }

  private static Kind kindOf(DataType type) {
    if (type instanceof StringType) {
      return Kind.STRING;
    }
    if (type instanceof BooleanType) {
      return Kind.BOOLEAN;
    }
    if (type instanceof ByteType) {
      return Kind.BYTE;
    }
    if (type instanceof ShortType) {
      return Kind.SHORT;
    }
    if (type instanceof IntegerType) {
      return Kind.INT;
    }
    if (type instanceof LongType) {
      return Kind.LONG;
    }
    if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return Kind.TIMESTAMP;
    }
    if (type instanceof DateType) {
      return Kind.DATE;
    }
    return Kind.JSON;
  }

  /** The value as the digester reads it: in its own type, as a timestamp, or as Spark's JSON text. */
  private static Column projected(Column value, DataType type, Kind kind) {
    return switch (kind) {
      // A local timestamp is read as the instant it is in the session's zone, as RowDigests does.
      case TIMESTAMP -> value.cast(DataTypes.TimestampType);
      // to_json of a null value is "{}", not null: a null value must stay null to encode as "~".
      // named_struct, not an aliased struct, so that two digesters' same column is one expression.
      case JSON -> when(value.isNotNull(), to_json(named_struct(lit("v"), value.cast(type))));
      default -> value.cast(type);
    };
  }

  /**
   * The dataset digest of {@code rows}, whose record id is the column {@code recordIdColumn}, in
   * one Spark job; only each partition's sum reaches the driver.
   */
  public static DatasetDigest digest(Dataset<Row> rows, String recordIdColumn) {
    return digest(rows, recordIdColumn, DigestAlgorithm.CURRENT);
  }

  /** As {@link #digest(Dataset, String)}, by {@code algorithm}. */
  public static DatasetDigest digest(Dataset<Row> rows, String recordIdColumn, DigestAlgorithm algorithm) {
    Projection projection = new Projection();
    RowDigester digester = of(rows.schema(), RowDigests::column, RowDigests.column(recordIdColumn), projection);
    List<DatasetDigest> partitions = projection.rowsOf(rows)
        .mapPartitions(partition -> List.of(digester.sum(partition, algorithm)).iterator())
        .collect();
    DatasetDigest digest = algorithm.empty();
    partitions.forEach(digest::merge);
    return digest;
  }

  /** The digest of {@code rows} by {@code algorithm}. */
  private DatasetDigest sum(Iterator<InternalRow> rows, DigestAlgorithm algorithm) {
    DatasetDigest sum = algorithm.empty();
    Buffer buffer = new Buffer();
    while (rows.hasNext()) {
      addTo(sum, rows.next(), buffer);
    }
    return sum;
  }

  /** The record id of {@code row}, a projected row this digester reads; null when the row has none. */
  public UTF8String recordId(InternalRow row) {
    return row.isNullAt(idOrdinal) ? null : row.getUTF8String(idOrdinal);
  }

  /**
   * Adds the digest of {@code row} to {@code sum}, encoding it in {@code buffer}; returns the row
   * digest, in an array the next row's overwrites.
   */
  public byte[] addTo(DatasetDigest sum, InternalRow row, Buffer buffer) {
    buffer.reset();
    buffer.write(PREFIX);
    if (row.isNullAt(idOrdinal)) {
      buffer.write((byte) '~');
    } else {
      buffer.lengthPrefixed(row.getUTF8String(idOrdinal));
    }
    buffer.write((byte) '\n');
    for (Field field : fields) {
      buffer.write(field.header());
      int ordinal = field.ordinal();
      if (row.isNullAt(ordinal)) {
        buffer.write((byte) '~');
      } else {
        switch (field.kind()) {
          case STRING -> buffer.write((byte) 's').lengthPrefixed(row.getUTF8String(ordinal));
          case JSON -> buffer.write((byte) 'j').lengthPrefixed(row.getUTF8String(ordinal));
          case BOOLEAN -> buffer.write((byte) 'b').write((byte) (row.getBoolean(ordinal) ? '1' : '0'));
          case BYTE -> buffer.write((byte) 'i').decimal(row.getByte(ordinal));
          case SHORT -> buffer.write((byte) 'i').decimal(row.getShort(ordinal));
          case INT -> buffer.write((byte) 'i').decimal(row.getInt(ordinal));
          case LONG -> buffer.write((byte) 'i').decimal(row.getLong(ordinal));
          case TIMESTAMP -> buffer.write((byte) 't').decimal(row.getLong(ordinal));
          case DATE -> buffer.write((byte) 'd').decimal(row.getInt(ordinal));
          default -> throw new IllegalStateException("no encoding for " + field.kind());
        }
      }
      buffer.write((byte) ';');
    }
    byte[] rowDigest = buffer.hash();
    sum.add(rowDigest);
    return rowDigest;
  }

  /**
   * The columns that digesters read, each projected once however many digesters read it (the
   * payload of a corpus row is one column of its input's row and of its output row).
   */
  public static final class Projection {
    private final Map<Expression, Integer> ordinals = new LinkedHashMap<>();
    private final List<Column> columns = new ArrayList<>();

    /** The ordinal of {@code column} in the projected row, adding it unless already there. */
    public int add(Column column) {
      return ordinals.computeIfAbsent(column.expr(), expression -> {
        columns.add(column.as("__elig_digest_" + columns.size()));
        return columns.size() - 1;
      });
    }

    /**
     * The projected rows of {@code frame}, as Spark's internal rows, read in place: a row may be
     * reused for the next, so a digester reads it before moving on and keeps nothing of it.
     */
    public JavaRDD<InternalRow> rowsOf(Dataset<Row> frame) {
      return frame.select(columns.toArray(Column[]::new)).queryExecution().toRdd().toJavaRDD();
    }
  }

  /** The encoding of one row being written, and the SHA-256 that hashes it; one per task. */
  public static final class Buffer {
    private final MessageDigest sha = Sha256.newDigest();
    private final byte[] digits = new byte[20];
    private final byte[] digest = new byte[32];
    private byte[] bytes = new byte[1024];
    private int length;

    void reset() {
      length = 0;
    }

    Buffer write(byte value) {
      ensure(1);
      bytes[length++] = value;
      return this;
    }

    Buffer write(byte[] values) {
      ensure(values.length);
      System.arraycopy(values, 0, bytes, length, values.length);
      length += values.length;
      return this;
    }

    /** {@code len(text) ":" text}, the length in UTF-8 bytes. */
    Buffer lengthPrefixed(UTF8String text) {
      int size = text.numBytes();
      decimal(size).write((byte) ':');
      ensure(size);
      text.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + length);
      length += size;
      return this;
    }

    /** {@code value} in decimal, as {@link Long#toString(long)} writes it. */
    Buffer decimal(long value) {
      if (value == Long.MIN_VALUE) {
        return write(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
      }
      if (value < 0) {
        write((byte) '-');
        value = -value;
      }
      int start = digits.length;
      do {
        digits[--start] = (byte) ('0' + value % 10);
        value /= 10;
      } while (value != 0);
      int count = digits.length - start;
      ensure(count);
      System.arraycopy(digits, start, bytes, length, count);
      length += count;
      return this;
    }

    /** The SHA-256 of the encoding written, in an array the next row's hash overwrites. */
    byte[] hash() {
      sha.update(bytes, 0, length);
      try {
        sha.digest(digest, 0, digest.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 did not fit its 32 bytes", e);
      }
      return digest;
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }
}
