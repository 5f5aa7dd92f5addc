package dev.eligibility.jobs.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.lineage.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One pass over the bytes of each file of a non-Delta input, one file per Spark task: its size
 * and SHA-256 for the run record and, for JSON Lines and CSV, the checks Spark's readers do not
 * make, with line numbers. A line that is not valid UTF-8, not one JSON object, or (CSV) has more
 * fields than the header is malformed; a JSON value of the wrong JSON type in a contract column (a
 * number where the contract has a string, a string where it has a boolean) is an error, since
 * Spark's reader would silently turn it into text. Only one small result per file reaches the
 * driver; no value is ever part of a result but an example row's id.
 */
final class TextFileScan {

  private TextFileScan() {}

  /** The first problem of one kind in a file: where, and what (never the value itself). */
  record Finding(long line, String column, String what, String exampleId) implements Serializable {}

  /**
   * What one file holds.
   *
   * @param records data lines (JSON objects, CSV rows after the header); blank lines not counted
   * @param contractColumnsSeen the contract's columns some JSON line of the file names (at most
   *     the contract's columns, so the result stays small); empty for other formats
   */
  record FileScan(String path, long size, String sha256, long records, long malformedLines, Finding firstMalformed,
      long wrongTypes, Finding firstWrongType, List<String> contractColumnsSeen) implements Serializable {}

  /** Scans {@code paths} on the executors; the results come back in the order of {@code paths}. */
  static List<FileScan> scan(SparkSession spark, List<String> paths, TableFormat format, TableContract contract) {
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    contract.columns().forEach(c -> columns.put(c.name(), c.type()));
    Scanner scanner = new Scanner(format, columns, contract.idColumn(),
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return context.parallelize(paths, Math.max(1, paths.size())).mapPartitions(scanner).collect();
  }

  /** The task: each file of its partition, streamed once. */
  private static final class Scanner implements FlatMapFunction<Iterator<String>, FileScan> {

    private static final long serialVersionUID = 1L;

    private final TableFormat format;
    private final Map<String, ColumnType> columns;
    private final String idColumn;
    private final SerializableConfiguration hadoop;

    Scanner(TableFormat format, Map<String, ColumnType> columns, String idColumn, SerializableConfiguration hadoop) {
      this.format = format;
      this.columns = columns;
      this.idColumn = idColumn;
      this.hadoop = hadoop;
    }

    @Override
    public Iterator<FileScan> call(Iterator<String> paths) throws IOException {
      List<FileScan> scans = new ArrayList<>();
      while (paths.hasNext()) {
        scans.add(scan(paths.next()));
      }
      return scans.iterator();
    }

    private FileScan scan(String file) throws IOException {
      Path path = new Path(file);
      FileSystem fs = path.getFileSystem(hadoop.value());
      MessageDigest sha = Sha256.newDigest();
      LineChecks checks = switch (format) {
        case JSON -> new JsonLineChecks(columns, idColumn);
        case CSV -> new CsvLineChecks();
        default -> null;
      };
      long size = 0;
      try (InputStream in = fs.open(path)) {
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNumber = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
          size += n;
          if (checks == null) {
            continue;
          }
          int start = 0;
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              line.write(buffer, start, i - start);
              checks.line(++lineNumber, line.toByteArray());
              line.reset();
              start = i + 1;
            }
          }
          line.write(buffer, start, n - start);
        }
        if (checks != null && line.size() > 0) {
          checks.line(++lineNumber, line.toByteArray());
        }
      }
      String hex = Sha256.hex(sha.digest());
      return checks == null
          ? new FileScan(file, size, hex, -1, 0, null, 0, null, List.of())
          : new FileScan(file, size, hex, checks.records, checks.malformed, checks.firstMalformed, checks.wrongTypes,
              checks.firstWrongType, List.copyOf(checks.contractColumnsSeen));
    }
  }

  /** The checks of one file's lines, in order. */
  private abstract static class LineChecks {
    long records;
    long malformed;
    Finding firstMalformed;
    long wrongTypes;
    Finding firstWrongType;
    final Set<String> contractColumnsSeen = new TreeSet<>();

    void line(long number, byte[] bytes) {
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
      } catch (CharacterCodingException e) {
        malformed(number, "not valid UTF-8");
        return;
      }
      if (!text.isBlank()) {
        check(number, text);
      }
    }

    abstract void check(long number, String text);

    void malformed(long line, String why) {
      if (malformed++ == 0) {
        firstMalformed = new Finding(line, null, why, null);
      }
    }
  }

  /** One JSON object a line; each contract column's value of the contract's JSON type, or null. */
  private static final class JsonLineChecks extends LineChecks {

    private static final JsonFactory JSON = JsonFactory.builder()
        .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();

    private final Map<String, ColumnType> columns;
    private final String idColumn;

    JsonLineChecks(Map<String, ColumnType> columns, String idColumn) {
      this.columns = columns;
      this.idColumn = idColumn;
    }

    @Override
    void check(long number, String text) {
      String wrongColumn = null;
      String found = null;
      String id = null;
      try (JsonParser parser = JSON.createParser(text)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          malformed(number, "not a JSON object");
          return;
        }
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          ColumnType expected = columns.get(name);
          if (expected != null) {
            contractColumnsSeen.add(name);
          }
          if (name.equals(idColumn) && value == JsonToken.VALUE_STRING) {
            id = parser.getText();
          }
          if (expected != null && value != JsonToken.VALUE_NULL && !fits(expected, value) && wrongColumn == null) {
            wrongColumn = name;
            found = describe(value);
          }
          if (value.isStructStart()) {
            parser.skipChildren();
          }
        }
        if (parser.nextToken() != null) {
          malformed(number, "more than one JSON value on the line");
          return;
        }
      } catch (JsonProcessingException e) {
        // Never the parser's message: it may quote the line.
        malformed(number, "not valid JSON (at character " + e.getLocation().getColumnNr() + ")");
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      records++;
      if (wrongColumn != null && wrongTypes++ == 0) {
        firstWrongType = new Finding(number, wrongColumn, found, id);
      }
    }

    private static boolean fits(ColumnType expected, JsonToken value) {
      return switch (expected) {
        case STRING, TIMESTAMP -> value == JsonToken.VALUE_STRING;
        case BOOLEAN -> value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE;
      };
    }

    private static String describe(JsonToken value) {
      return switch (value) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
        case VALUE_STRING -> "a JSON string";
        case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
        case START_OBJECT -> "a JSON object";
        case START_ARRAY -> "a JSON array";
        default -> "a JSON " + value;
      };
    }
  }

  /** A header, then rows with no more fields than the header (Spark's CSV defaults: , " \). */
  private static final class CsvLineChecks extends LineChecks {

    private final CsvParser parser;
    private int headerFields = -1;

    CsvLineChecks() {
      CsvParserSettings settings = new CsvParserSettings();
      settings.getFormat().setDelimiter(',');
      settings.getFormat().setQuote('"');
      settings.getFormat().setQuoteEscape('\\');
      settings.setMaxCharsPerColumn(-1);
      settings.setMaxColumns(1 << 16);
      settings.setLineSeparatorDetectionEnabled(false);
      this.parser = new CsvParser(settings);
    }

    @Override
    void check(long number, String text) {
      String[] fields = parser.parseLine(text);
      int count = fields == null ? 0 : fields.length;
      if (headerFields < 0) {
        headerFields = count;
        return;
      }
      if (count > headerFields) {
        malformed(number, count + " fields where the header has " + headerFields);
        return;
      }
      records++;
    }
  }
}
