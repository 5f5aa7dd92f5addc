package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link World}'s tables written as Delta tables with a change data feed, one folder each (the
 * corpus inputs by their input names), for tests that change them night by night as upstream
 * systems would: appends, updates and deletes by SQL, each a Delta version.
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

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  public long version(String table) {
    return dev.eligibility.jobs.input.TableReader.latestVersion(spark, path(table));
  }
}
