package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.input.ContractColumn;
import dev.eligibility.jobs.input.Contracts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the output tables hold, in words: each table's description and each column's type and
 * meaning, as the data contract gives them. Written into the Delta tables (description, column
 * comments) and sent in lineage events (the schema facet), so that a catalog or a lineage UI
 * explains the tables without this repository.
 */
public final class OutputColumns {

  /** One column: its name, type (Spark SQL) and meaning. */
  public record Column(String name, String type, String description) {}

  public static final String ELIGIBLE_DESCRIPTION = "Training-data eligibility filter: the corpus rows the data-usage"
      + " policy allows, as the run named in run_id decided them (every corpus column, payload included). Read a run's"
      + " rows at the Delta version its manifest names.";
  public static final String EXCLUSIONS_DESCRIPTION = "Training-data eligibility filter: one row per excluded"
      + " candidate of each run, with the primary reason and every reason that applied; never the payload. Rows of"
      + " earlier runs are kept as an audit trail.";
  public static final String DECISIONS_DESCRIPTION = "Training-data eligibility filter: every corpus row of the"
      + " latest run with its keys, the facts it was judged on and its reasons (never the payload); where the next"
      + " incremental run starts from and what run diffs compare. Read a run's rows at the version its manifest pins.";

  private static final Map<String, String> CORPUS_MEANINGS = Map.of(
      "record_id", "id of the candidate row, unique across all corpus inputs of a run",
      "source_kind", "PUBLIC_WEB, LICENSED, HUMAN_REVIEWER, API, FINE_TUNE_FILE, FINE_TUNED_INFERENCE or CONSUMER_APP",
      "source_ref", "API: request id; FINE_TUNE_FILE: training file id; LICENSED: licence id; otherwise free",
      "content", "the payload");

  private static final Column RUN_ID = new Column("run_id", "string", "the run that decided the row");

  private OutputColumns() {}

  /** {@code schema} with each column of {@code described} that it has carrying its meaning as a comment. */
  public static org.apache.spark.sql.types.StructType commented(org.apache.spark.sql.types.StructType schema,
      List<Column> described) {
    Map<String, String> comments = new java.util.HashMap<>();
    described.forEach(column -> {
      if (column.description() != null) {
        comments.put(column.name(), column.description());
      }
    });
    org.apache.spark.sql.types.StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      String comment = comments.get(fields[i].name());
      if (comment != null) {
        fields[i] = fields[i].withComment(comment);
      }
    }
    return new org.apache.spark.sql.types.StructType(fields);
  }

  /** The columns of {@code eligible/} the contract names (a corpus's other columns pass through after them). */
  public static List<Column> eligible() {
    List<Column> columns = new ArrayList<>();
    for (ContractColumn column : Contracts.CORPUS.columns()) {
      columns.add(new Column(column.name(), column.type().label(), CORPUS_MEANINGS.get(column.name())));
    }
    columns.add(RUN_ID);
    return columns;
  }

  /** The columns of {@code exclusions/}, in order (see {@link OutputTables#exclusionColumns}). */
  public static List<Column> exclusions() {
    return List.of(
        RUN_ID,
        new Column("record_id", "string", CORPUS_MEANINGS.get("record_id")),
        new Column("source_kind", "string", CORPUS_MEANINGS.get("source_kind")),
        new Column("source_ref", "string", CORPUS_MEANINGS.get("source_ref")),
        new Column("reason", "string", "the primary reason: the first reason code in the policy's order that applies"),
        new Column("reasons", "array<string>", "every reason code that applies, in the policy's order"),
        new Column("corpus_input", "string", "the name of the corpus input the row came from"),
        new Column("organization_id", "string",
            "whose data the row is: the request's organization (API rows), the file owner (training-file rows)"),
        new Column("project_id", "string", "the request's project (API rows)"));
  }
}
