package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A {@link World}'s tables written as Delta tables with a change data feed, one folder each (the
 * corpus inputs by their input names), for tests that change them night by night as upstream
 * systems would: appends, updates and deletes by SQL, each statement a Delta version.
 */
public final class DeltaWorld {

  private final SparkSession spark;
  private final Path root;

  private DeltaWorld(SparkSession spark, Path root) {
    this.spark = spark;
    this.root = root;
  }

  /** Writes every table of {@code world} under {@code root}; absent optional tables are written empty. */
  public static DeltaWorld write(SparkSession spark, Path root, World world) {
    DeltaWorld tables = new DeltaWorld(spark, root);
    World complete = new World(world.corpus(), world.requests(), world.consent(), world.files(), world.models(),
        Optional.of(world.zdr().orElse(List.of())), Optional.of(world.licenses().orElse(List.of())));
    InputTables inputs = complete.inputs(spark);
    for (BoundTable table : inputs.all()) {
      String name = table.contract().table().equals("corpus") ? table.input().name() : table.contract().table();
      tables.create(name, table.rows());
    }
    return tables;
  }

  private void create(String table, Dataset<Row> rows) {
    rows.write().format("delta").save(path(table));
    sql("ALTER TABLE " + ref(table) + " SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')");
  }

  /** The folder of {@code table}: a corpus input's name or a reference table's contract name. */
  public String path(String table) {
    return root.resolve(table).toString();
  }

  /** {@code delta.`path`} of {@code table}, for SQL. */
  public String ref(String table) {
    return "delta.`" + path(table) + "`";
  }

  public void sql(String statement) {
    spark.sql(statement);
  }

  /** Appends rows of {@code table}'s schema. */
  public void append(String table, List<Row> rows) {
    Dataset<Row> current = read(table);
    spark.createDataFrame(rows, current.schema()).write().format("delta").mode("append").save(path(table));
  }

  /**
   * One version of {@code table} that deletes the rows matching {@code deleteWhere}, updates those
   * matching {@code updateWhere} (and not deleted) with {@code set}, and appends {@code inserted}:
   * a single {@code MERGE}, so the change data feed shows deletes, both images of updates and
   * inserts in one commit. Conditions and assignments are SQL over the table's columns as
   * {@code t.<column>}; {@code "false"} selects no row.
   */
  public void change(String table, List<Row> inserted, String deleteWhere, String updateWhere,
      Map<String, String> set) {
    StructType schema = new StructType(Arrays.stream(read(table).schema().fields())
        .map(field -> DataTypes.createStructField(field.name(), field.dataType(), true)).toArray(StructField[]::new));
    String view = "changes_" + table.replaceAll("\\W", "_") + "_" + System.nanoTime();
    List<Row> source = new ArrayList<>();
    for (Row row : inserted) {
      source.add(withFlag(row, true));
    }
    // One row that selects the table's rows to delete or update (the join condition does the rest).
    source.add(withFlag(RowFactory.create(new Object[schema.size()]), false));
    spark.createDataFrame(source, schema.add(NEW_ROW, DataTypes.BooleanType)).createOrReplaceTempView(view);
    String columns = String.join(", ", schema.fieldNames());
    String values = Arrays.stream(schema.fieldNames()).map(name -> "s." + name).collect(Collectors.joining(", "));
    String assignments = set.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining(", "));
    try {
      sql("MERGE INTO " + ref(table) + " t USING " + view + " s"
          + " ON NOT s." + NEW_ROW + " AND ((" + deleteWhere + ") OR (" + updateWhere + "))"
          + " WHEN MATCHED AND (" + deleteWhere + ") THEN DELETE"
          + (set.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + assignments)
          + " WHEN NOT MATCHED AND s." + NEW_ROW + " THEN INSERT (" + columns + ") VALUES (" + values + ")");
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  private static final String NEW_ROW = "__new_row";

  private static Row withFlag(Row row, boolean flag) {
    Object[] values = new Object[row.size() + 1];
    for (int i = 0; i < row.size(); i++) {
      values[i] = row.get(i);
    }
    values[row.size()] = flag;
    return RowFactory.create(values);
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  public long version(String table) {
    return dev.eligibility.jobs.input.TableReader.latestVersion(spark, path(table));
  }
}
