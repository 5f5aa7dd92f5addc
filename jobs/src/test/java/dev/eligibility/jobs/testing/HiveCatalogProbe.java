package dev.eligibility.jobs.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eligibility.jobs.run.SparkSessions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a user of the catalog sees, in a JVM of its own: {@code main(spec, table...)} first runs
 * {@code spec} in this JVM's session (as {@code eligibility run --unsigned --spec spec}), then
 * prints, as one JSON line, the run's exit code and each table's catalog details (type, provider,
 * location, comment), its rows and the distinct run ids in it, read through the catalog by name.
 * The session is configured like the job's, from the same {@code -Dspark.*} settings (a Hive
 * catalog on an embedded Derby metastore).
 */
public final class HiveCatalogProbe {

  /** The line's prefix, so the test can find it among Spark's. */
  public static final String MARKER = "CATALOG-PROBE ";

  private HiveCatalogProbe() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSessions.getOrCreate("catalog-probe");
    java.io.PrintWriter console = new java.io.PrintWriter(System.out, true);
    int exitCode = dev.eligibility.jobs.cli.EligibilityCli.execute(console, console,
        "run", "--unsigned", "--spec", args[0]);
    String[] tables = java.util.Arrays.copyOfRange(args, 1, args.length);
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put("exitCode", exitCode);
    out.put("catalogImplementation", spark.conf().get("spark.sql.catalogImplementation"));
    for (String table : tables) {
      ObjectNode details = out.putObject(table);
      for (Row row : spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList()) {
        if (!details.has(row.getString(0)) && !row.getString(0).isBlank()) {
          details.put(row.getString(0), row.getString(1));
        }
      }
      details.put("rows", spark.table(table).count());
      details.put("run_ids", spark.table(table).select("run_id").distinct().count());
    }
    System.out.println(MARKER + json.writeValueAsString(out));
    spark.stop();
  }
}
