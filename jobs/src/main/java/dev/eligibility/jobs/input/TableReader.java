package dev.eligibility.jobs.input;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.evidence.RowDigester;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.FactConditions;
import dev.eligibility.jobs.policy.Term;
import dev.eligibility.jobs.spec.DeltaPin;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.InputFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an input in its format and binds it to a {@link TableContract}.
 *
 * <p>No input is read with an inferred type. Delta and Parquet carry their own schema, which
 * must match the contract's types. JSON Lines and CSV are read as text with a schema built from
 * the contract (the line scan, or for the corpus a JSON pass with {@code primitivesAsString}, only
 * discovers which fields exist, so that a column "is missing when no row has it"); the text is then
 * parsed by Column expressions, and a value that does not parse is an error naming the column and
 * an example row id.
 */
public final class TableReader {

  static final String CORRUPT_RECORD = "_corrupt_record";
  private static final String SOURCE_FILE = "__elig_source_file";
  private static final String CSV_NULL_MARKER = "\u0000";

  /** Which tables the reader digests. */
  private final Predicate<TableContract> digests;

  /** How it digests them. */
  private final DigestAlgorithm algorithm;

  private final SparkSession spark;

  /** A reader that digests every table it reads by the current algorithm. */
  public TableReader(SparkSession spark) {
    this(spark, contract -> true, DigestAlgorithm.CURRENT);
  }

  /** A reader that digests every table it reads by {@code algorithm}, as {@code lineage verify} does a record's inputs. */
  public TableReader(SparkSession spark, DigestAlgorithm algorithm) {
    this(spark, contract -> true, algorithm);
  }

  private TableReader(SparkSession spark, Predicate<TableContract> digests, DigestAlgorithm algorithm) {
    this.spark = spark;
    this.digests = digests;
    this.algorithm = algorithm;
  }

  /**
   * The reader of a run. It digests every input but the corpus, whose digests the run computes
   * from the rows it decides ({@code Decision}), which hold every corpus column: digesting it here
   * too would read every payload twice.
   */
  public static TableReader forRun(SparkSession spark) {
    return forRun(spark, DigestAlgorithm.CURRENT);
  }

  /** As {@link #forRun(SparkSession)}, digesting by {@code algorithm}. */
  public static TableReader forRun(SparkSession spark, DigestAlgorithm algorithm) {
    return new TableReader(spark, contract -> !contract.equals(Contracts.CORPUS), algorithm);
  }

  /**
   * A reader that checks every input but computes no dataset digest: only for measuring what the
   * digests cost, on Delta inputs. A run never uses it.
   */
  public static TableReader withoutDigests(SparkSession spark) {
    return new TableReader(spark, contract -> false, DigestAlgorithm.CURRENT);
  }

  /** How messages name an input: the table, plus a corpus input's own name ({@code corpus 'web'}). */
  public static String label(String table, String inputName) {
    return table.equals(inputName) ? table : table + " '" + inputName + "'";
  }

  /**
   * Reads {@code input} (a Delta input at the version its pin names, else its latest version),
   * checks it against {@code contract} and returns its typed rows.
   */
  public BoundTable read(TableInput input, TableContract contract) {
    return read(input, contract, Optional.empty());
  }

  /** As {@link #read(TableInput, TableContract)}, a Delta input at {@code deltaVersion} when given. */
  public BoundTable read(TableInput input, TableContract contract, Optional<Long> deltaVersion) {
    String label = label(contract.table(), input.name());
    Loaded loaded = load(input, contract, label, deltaVersion);
    StructType stored = loaded.rows().schema();
    Set<String> storedNames = Set.of(stored.fieldNames());

    List<Column> projection = new ArrayList<>();
    List<ValueCheck> checks = new ArrayList<>();
    Column id = col(contract.idColumn()).cast(DataTypes.StringType);
    for (ContractColumn column : contract.columns()) {
      if (!storedNames.contains(column.name())) {
        if (column.required()) {
          throw Errors.missingColumn(label, column.name(), column.type().label());
        }
        projection.add(lit(null).cast(column.type().sparkType()).as(column.name()));
        continue;
      }
      Column raw = col(column.name());
      Column typed;
      if (loaded.textual()) {
        typed = parse(raw, column.type());
        if (column.type() != ColumnType.STRING) {
          checks.add(ValueCheck.unparseable(column, raw.isNotNull().and(raw.notEqual("")).and(typed.isNull())));
        }
      } else {
        var storedType = stored.apply(column.name()).dataType();
        if (!column.type().acceptsStored(storedType)) {
          throw Errors.wrongType(label, column.name(), column.type().label(), storedType.simpleString());
        }
        typed = raw.cast(column.type().sparkType());
      }
      column.nullStopsRun().ifPresent(why ->
          checks.add(ValueCheck.absent(column, why, FactConditions.not(Definitions.present(Term.of(raw.cast(DataTypes.StringType)))).column())));
      projection.add(typed.as(column.name()));
    }
    if (!storedNames.contains(contract.idColumn())) {
      id = lit(null).cast(DataTypes.StringType);
    }
    if (contract.passesExtraColumns()) {
      Set<String> known = Set.copyOf(contract.columnNames());
      for (String name : stored.fieldNames()) {
        if (!known.contains(name) && !name.equals(CORRUPT_RECORD)) {
          projection.add(col(name));
        }
      }
    }

    long rowCount = validate(label, contract, loaded, id, checks);
    Dataset<Row> typedRows = loaded.rows().select(projection.toArray(Column[]::new));
    Optional<String> digest = digests.test(contract)
        ? Optional.of(RowDigester.digest(typedRows, contract.idColumn(), algorithm).hex())
        : Optional.empty();
    return new BoundTable(input, contract, typedRows, loaded.deltaVersion(), loaded.files(), rowCount, digest);
  }

  /**
   * Runs every value check of a table in one Spark job and returns its row count. (The dataset
   * digest is a job of its own: its aggregator in this one made Spark give up generated code for
   * every check, which cost more than reading the table twice.)
   */
  private long validate(String label, TableContract contract, Loaded loaded, Column id, List<ValueCheck> checks) {
    List<Column> frame = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      frame.add(checks.get(i).failing().as("failing_flag_" + i));
    }
    frame.add(coalesce(id, lit("<null>")).as("example_id"));
    if (loaded.textual()) {
      frame.add(col(CORRUPT_RECORD).isNotNull().as("corrupt_flag"));
      frame.add(input_file_name().as(SOURCE_FILE));
      frame.add(id.as("id_read"));
    }
    Dataset<Row> rows = loaded.rows().select(frame.toArray(Column[]::new));

    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      Column failing = col("failing_flag_" + i);
      aggregates.add(sum(when(failing, 1).otherwise(0)).as("failing_" + i));
      aggregates.add(first(when(failing, col("example_id")), true).as("example_" + i));
    }
    if (loaded.textual()) {
      Column corrupt = col("corrupt_flag");
      aggregates.add(sum(when(corrupt, 1).otherwise(0)).as("corrupt"));
      aggregates.add(first(when(corrupt, col(SOURCE_FILE)), true).as("corrupt_file"));
      // Makes the parser read a column of the table besides the corrupt-record one: Spark refuses a
      // query of raw text files that reads only that (a table without value checks would).
      aggregates.add(count(col("id_read")).as("rows_with_id"));
    }
    Row result = rows.agg(count(lit(1)).as("rows"), aggregates.toArray(Column[]::new)).head();
    if (loaded.textual()) {
      long corrupt = result.isNullAt(result.fieldIndex("corrupt")) ? 0 : result.getLong(result.fieldIndex("corrupt"));
      if (corrupt > 0) {
        throw Errors.malformedLines(label, corrupt, result.getString(result.fieldIndex("corrupt_file")));
      }
    }
    for (int i = 0; i < checks.size(); i++) {
      int failingIndex = result.fieldIndex("failing_" + i);
      long failing = result.isNullAt(failingIndex) ? 0 : result.getLong(failingIndex);
      if (failing > 0) {
        String example = result.getString(result.fieldIndex("example_" + i));
        throw checks.get(i).error(label, failing, contract.idColumn(), example);
      }
    }
    return result.getLong(0);
  }

  private static Column parse(Column text, ColumnType type) {
    return switch (type) {
      case STRING -> text;
      case BOOLEAN -> when(lower(text).equalTo("true"), lit(true))
          .when(lower(text).equalTo("false"), lit(false));
      case TIMESTAMP -> when(text.notEqual(""), text.cast(DataTypes.TimestampType));
    };
  }

  private Loaded load(TableInput input, TableContract contract, String label, Optional<Long> pinned) {
    String path = input.path();
    try {
      if (input.format() == TableFormat.DELTA) {
        long version = pinned.isPresent()
            ? pinned.get()
            : input.pin().map(pin -> pinnedVersion(path, label, pin)).orElseGet(() -> latestVersion(spark, path));
        return new Loaded(spark.read().format("delta").option("versionAsOf", version).load(path),
            Optional.of(version), List.of(), false);
      }
      // Read exactly the files that are hashed into the run record, nothing listed later.
      InputFiles.Scanned scanned = InputFiles.of(spark, input, label, contract);
      List<InputFile> files = scanned.files();
      String[] paths = files.stream().map(InputFile::path).toArray(String[]::new);
      boolean textual = input.format() == TableFormat.JSON || input.format() == TableFormat.CSV;
      if (textual) {
        refuseBadLines(label, contract, scanned);
        if (scanned.records() == 0) {
          // No rows at all (an empty file, a header-only CSV): a valid empty table of every contract column.
          StructType everyContractColumn = textSchema(new StructType(contract.columns().stream()
              .map(c -> DataTypes.createStructField(c.name(), DataTypes.StringType, true))
              .toArray(StructField[]::new)), contract);
          return new Loaded(spark.createDataFrame(List.of(), everyContractColumn), Optional.empty(), files, true);
        }
      }
      DataFrameReader reader = spark.read();
      if (isDirectory(path)) {
        reader = reader.option("basePath", path);
      }
      return switch (input.format()) {
        case DELTA -> throw new IllegalStateException("handled above");
        case PARQUET -> new Loaded(reader.parquet(paths), Optional.empty(), files, false);
        case JSON -> new Loaded(
            reader.schema(textSchema(jsonFields(scanned, contract, paths), contract))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .json(paths),
            Optional.empty(), files, true);
        case CSV -> new Loaded(
            reader.schema(textSchema(csvHeader(paths), contract))
                .option("header", "true")
                // Keep null and "" apart, as the policy does (a project_id of "" is a project):
                // an unquoted empty field is null, a quoted empty field ("") is the empty string.
                // Spark maps the nullValue marker to null; with a marker no field holds, only
                // unquoted empty fields (which the parser reports as that marker) become null.
                .option("nullValue", CSV_NULL_MARKER)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .csv(paths),
            Optional.empty(), files, true);
      };
    } catch (Exception e) {
      // Spark's AnalysisException is checked in Java but thrown undeclared from Scala code.
      if (e instanceof AnalysisException analysis) {
        throw Errors.inputUnreadable(label, path, firstSentence(analysis.getSimpleMessage()), e);
      }
      if (e instanceof IllegalArgumentException) {
        throw Errors.inputUnreadable(label, path, firstSentence(e.getMessage()), e);
      }
      throw e;
    }
  }

  /** Malformed lines and JSON values of the wrong JSON type, with file and line of the first. */
  private static void refuseBadLines(String label, TableContract contract, InputFiles.Scanned scanned) {
    long malformed = scanned.scans().stream().mapToLong(TextFileScan.FileScan::malformedLines).sum();
    if (malformed > 0) {
      TextFileScan.FileScan first = scanned.scans().stream().filter(f -> f.malformedLines() > 0).findFirst().orElseThrow();
      throw Errors.malformedLine(label, malformed, first.path(), first.firstMalformed().line(), first.firstMalformed().what());
    }
    long wrong = scanned.scans().stream().mapToLong(TextFileScan.FileScan::wrongTypes).sum();
    if (wrong > 0) {
      TextFileScan.FileScan first = scanned.scans().stream().filter(f -> f.wrongTypes() > 0).findFirst().orElseThrow();
      TextFileScan.Finding finding = first.firstWrongType();
      ColumnType expected = contract.columns().stream().filter(c -> c.name().equals(finding.column()))
          .findFirst().orElseThrow().type();
      throw Errors.wrongJsonType(label, finding.column(), expectedJson(expected), finding.what(), wrong,
          contract.idColumn(), finding.exampleId(), first.path(), finding.line());
    }
  }

  private static String expectedJson(ColumnType type) {
    return switch (type) {
      case STRING -> "a JSON string";
      case BOOLEAN -> "JSON true or false";
      case TIMESTAMP -> "a JSON string holding an ISO-8601 instant";
    };
  }

  private boolean isDirectory(String path) {
    org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(path);
    try {
      return hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(hadoopPath).isDirectory();
    } catch (java.io.IOException e) {
      throw Errors.infrastructure("Failed reading " + path, e);
    }
  }

  /**
   * The top-level fields of a JSON Lines input. A table whose extra columns are dropped needs only
   * which contract columns occur, and the scan that checked every line already saw that; a table
   * that keeps its extra columns (the corpus) takes their structure from Spark's inference (a pass
   * over the files with {@code primitivesAsString}, so no value gets a guessed numeric type).
   */
  private StructType jsonFields(InputFiles.Scanned scanned, TableContract contract, String[] paths) {
    if (!contract.passesExtraColumns()) {
      return new StructType(scanned.contractColumnsSeen().stream()
          .map(name -> DataTypes.createStructField(name, DataTypes.StringType, true))
          .toArray(StructField[]::new));
    }
    return spark.read().option("primitivesAsString", "true").json(paths).schema();
  }

  private StructType csvHeader(String[] paths) {
    return spark.read().option("header", "true").csv(paths).schema();
  }

  /** Contract columns as text, extra columns (if kept) as discovered, plus the corrupt-record slot. */
  private static StructType textSchema(StructType discovered, TableContract contract) {
    Set<String> known = Set.copyOf(contract.columnNames());
    List<StructField> fields = new ArrayList<>();
    for (StructField field : discovered.fields()) {
      if (field.name().equals(CORRUPT_RECORD)) {
        continue;
      }
      if (known.contains(field.name())) {
        fields.add(DataTypes.createStructField(field.name(), DataTypes.StringType, true));
      } else if (contract.passesExtraColumns()) {
        fields.add(field);
      }
    }
    fields.add(DataTypes.createStructField(CORRUPT_RECORD, DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  private static String firstSentence(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.lines().findFirst().orElse(message);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private record Loaded(Dataset<Row> rows, Optional<Long> deltaVersion, List<InputFile> files, boolean textual) {}

  /** A per-row condition that stops the run when any row fails it. */
  private record ValueCheck(ContractColumn column, Column failing, boolean parse, String why) {

    static ValueCheck unparseable(ContractColumn column, Column failing) {
      return new ValueCheck(column, failing, true, "");
    }

    static ValueCheck absent(ContractColumn column, String why, Column failing) {
      return new ValueCheck(column, failing, false, why);
    }

    RuntimeException error(String table, long rows, String idColumn, String exampleId) {
      if (parse) {
        return Errors.unparseableValue(table, column.name(), column.type().label(), rows, idColumn, exampleId);
      }
      return Errors.requiredValueMissing(table, column.name(), rows, idColumn, exampleId, why);
    }
  }

  /**
   * The version a pin names: the version itself, checked to exist, or the newest version committed
   * at or before the instant (Delta's commit timestamps, as {@code DESCRIBE HISTORY} shows them).
   */
  private long pinnedVersion(String path, String label, DeltaPin pin) {
    Dataset<Row> history = DeltaTable.forPath(spark, path).history().select(col("version"), col("timestamp"));
    Column chosen = pin instanceof DeltaPin.Version v
        ? col("version").equalTo(lit(v.version()))
        : col("timestamp").leq(lit(java.sql.Timestamp.from(((DeltaPin.AsOf) pin).timestamp())));
    Row found = history.filter(chosen).agg(org.apache.spark.sql.functions.max("version")).head();
    if (found.isNullAt(0)) {
      Row range = history.agg(org.apache.spark.sql.functions.min("version"), org.apache.spark.sql.functions.max("version"),
          org.apache.spark.sql.functions.min("timestamp")).head();
      throw Errors.pinUnavailable(label, path, pin.describe(), "its history holds versions " + range.get(0) + " to "
          + range.get(1) + ", the oldest committed at " + ((java.sql.Timestamp) range.get(2)).toInstant());
    }
    return found.getLong(0);
  }

  /** The latest committed version of the Delta table at {@code path}. */
  public static long latestVersion(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
  }
}
