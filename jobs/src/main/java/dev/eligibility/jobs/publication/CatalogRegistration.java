package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.CatalogTables;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Registers the output tables in the session's catalog (a Hive metastore, AWS Glue, ...) as
 * external Delta tables over the output root, under the names of {@code output.catalog}, so that
 * users find them where they find their other tables.
 *
 * <p>Checked before any input is read ({@link #check}): each name's database exists, and a table
 * of that name either does not exist yet or is a Delta table at this run's path. Registered after
 * the run's table commits and before its manifest ({@link #register}), so that a run whose
 * registration failed is not committed and a retry registers again. Registering an existing Delta
 * table adds no version to it, and a name already registered at the path is left as it is. A
 * catalog table always shows the table's latest version; a run's rows are those of the version
 * its manifest names.
 */
public final class CatalogRegistration {

  private final SparkSession spark;
  private final CatalogTables names;
  private final OutputLayout layout;
  private final String specFile;

  public CatalogRegistration(SparkSession spark, CatalogTables names, OutputLayout layout, String specFile) {
    this.spark = spark;
    this.names = names;
    this.layout = layout;
    this.specFile = specFile;
  }

  /** Whether the spec names any table to register. */
  public boolean any() {
    return !names.byOutput().isEmpty();
  }

  /** Where this run writes {@code output} ({@code eligible} or {@code exclusions}), qualified. */
  private String location(String output) {
    return qualified(output.equals(OutputLayout.ELIGIBLE) ? layout.eligible() : layout.exclusions());
  }

  /** Stops the run (a spec error: nothing read yet) when a name cannot be registered at this run's path. */
  public void check() {
    names.byOutput().forEach((output, name) -> {
      String key = "output.catalog." + output;
      String database = name.substring(0, name.lastIndexOf('.'));
      if (!spark.catalog().databaseExists(database)) {
        throw Errors.specConflict(specFile, "key '" + key + "' names table " + name + ", but the catalog has no"
            + " database " + database + ". Create it (CREATE DATABASE " + database + "), or name another.");
      }
      Optional<String> registeredAt = registeredLocation(name, key);
      String location = location(output);
      if (registeredAt.isPresent() && !sameLocation(registeredAt.get(), location)) {
        throw Errors.specConflict(specFile, "key '" + key + "' names table " + name + ", which the catalog already"
            + " has at " + registeredAt.get() + "; this run writes " + location + ". Name another table, or drop"
            + " that one if it is stale.");
      }
    });
  }

  /**
   * Registers every named table not registered yet, and returns the lines to report (one per
   * table). Fails as an infrastructure error (the run is not committed; a retry registers again).
   */
  public List<String> register() {
    return names.byOutput().entrySet().stream().map(entry -> {
      String location = location(entry.getKey());
      try {
        spark.sql("CREATE TABLE IF NOT EXISTS " + quoted(entry.getValue()) + " USING DELTA LOCATION '"
            + location.replace("\\", "\\\\").replace("'", "\\'") + "'");
      } catch (RuntimeException e) {
        throw Errors.infrastructure("Failed registering " + entry.getKey() + "/ as " + entry.getValue()
            + " in the catalog", e);
      }
      return entry.getKey() + "/ as " + entry.getValue() + (forgetful() ? FORGOTTEN : "");
    }).toList();
  }

  static final String FORGOTTEN = " (in Spark's in-memory catalog, which forgets it when this session ends;"
      + " a metastore needs spark.sql.catalogImplementation=hive)";

  /** Whether the session's catalog is Spark's in-memory one, which lives as long as the session. */
  private boolean forgetful() {
    return "in-memory".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"));
  }

  /** Where the catalog has {@code name}, if it has it; a table that is not Delta is refused. */
  private Optional<String> registeredLocation(String name, String key) {
    if (!spark.catalog().tableExists(name)) {
      return Optional.empty();
    }
    Map<String, String> detail = new LinkedHashMap<>();
    for (Row row : spark.sql("DESCRIBE TABLE EXTENDED " + quoted(name)).collectAsList()) {
      // Column rows come first; the table's details (Location, Provider, ...) follow them.
      detail.putIfAbsent(row.getString(0), row.getString(1));
    }
    if (!"delta".equalsIgnoreCase(detail.get("Provider"))) {
      throw Errors.specConflict(specFile, "key '" + key + "' names table " + name + ", which the catalog already"
          + " has as a " + detail.getOrDefault("Provider", "non-Delta") + " table. Name another table.");
    }
    return Optional.ofNullable(detail.get("Location"));
  }

  private boolean sameLocation(String registered, String location) {
    return qualified(registered).equals(location);
  }

  /** {@code path} as the file system names it in full ({@code file:/...}, {@code s3a://bucket/...}). */
  private String qualified(String path) {
    try {
      Path hadoopPath = new Path(path);
      return hadoopPath.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(hadoopPath).toString();
    } catch (IOException e) {
      throw Errors.infrastructure("Failed resolving " + path, e);
    }
  }

  /** {@code a.b.c} as {@code `a`.`b`.`c`}. */
  static String quoted(String name) {
    return Arrays.stream(name.split("\\.")).map(part -> "`" + part + "`").collect(Collectors.joining("."));
  }
}
