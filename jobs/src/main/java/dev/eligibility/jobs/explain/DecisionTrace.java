package dev.eligibility.jobs.explain;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.policy.EligibilityRule;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.SourceKind;
import dev.eligibility.jobs.policy.Term;
import java.io.PrintWriter;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Prints why one record was decided as it was: the row's identity (never its content), each
 * rule in order with whether it applies, the reference rows it was judged by, and the consent
 * states those rows produced. Only the rows of that one record id and its reference keys are
 * brought to the driver.
 */
public final class DecisionTrace {

  private static final String COMBINED_AT_SUBMISSION = "combined_at_submission";
  private static final String COMBINED_AT_AS_OF = "combined_at_as_of";

  private final RunContext run;
  private final InputTables inputs;

  public DecisionTrace(RunContext run, InputTables inputs) {
    this.run = run;
    this.inputs = inputs;
  }

  /** Prints the trace of every corpus row with {@code recordId} (more than one if it is duplicated). */
  public void print(String recordId, PrintWriter out) {
    EligibilityEngine engine = new EligibilityEngine(run);
    List<EligibilityRule> rules = engine.rules();
    Dataset<Row> facts = engine.facts(inputs).filter(col("record_id").equalTo(recordId));
    List<Column> columns = new ArrayList<>();
    for (String name : List.of("record_id", "source_kind", "source_ref", Facts.INPUT)) {
      columns.add(col(name));
    }
    for (String name : facts.columns()) {
      if (name.startsWith(Facts.PREFIX) && !name.equals(Facts.INPUT)) {
        columns.add(col(name));
      }
    }
    for (int i = 0; i < rules.size(); i++) {
      columns.add(rules.get(i).applies().as("rule_" + i));
    }
    // The same expression the rules use, so the trace cannot drift from the decision.
    columns.add(Definitions.consentAtSubmission().column()
        .as(COMBINED_AT_SUBMISSION));
    columns.add(Definitions.consentAtAsOf().column()
        .as(COMBINED_AT_AS_OF));
    List<Row> rows = facts.select(columns.toArray(Column[]::new)).collectAsList();
    if (rows.isEmpty()) {
      throw Errors.recordNotFound(recordId);
    }
    out.printf("Record %s: %d corpus row(s); run purpose %s%s, as_of %s, policy %s%n", recordId, rows.size(),
        run.purpose(), run.fineTuneOrgId().map(o -> " for " + o).orElse(""), run.asOf(), run.policy().policyId());
    for (Row row : rows) {
      printRow(row, rules, out);
    }
    out.flush();
  }

  private void printRow(Row row, List<EligibilityRule> rules, PrintWriter out) {
    out.println();
    out.printf("corpus input '%s': source_kind=%s source_ref=%s%n", value(row, Facts.INPUT),
        value(row, "source_kind"), value(row, "source_ref"));
    out.println("Rules, in policy order:");
    String primary = null;
    List<String> applying = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      boolean applies = row.getBoolean(row.fieldIndex("rule_" + i));
      EligibilityRule rule = rules.get(i);
      if (applies) {
        applying.add(rule.reason().name());
        primary = primary == null ? rule.reason().name() : primary;
      }
      out.printf("  %2d %-24s %-8s %s%n", rule.reason().position(), rule.reason().name(),
          applies ? "APPLIES" : "-", rule.reason().description());
    }
    String kind = value(row, "source_kind");
    String ref = value(row, "source_ref");
    if (SourceKind.API.name().equals(kind)) {
      printRequest(row, ref, out);
    } else if (SourceKind.FINE_TUNE_FILE.name().equals(kind)) {
      printReference("fine_tune_files", inputs.fineTuneFiles().rows(), "file_id", ref,
          "known=" + value(row, Facts.FILE_KNOWN) + ", visible matches=" + value(row, Facts.FILE_MATCHES), out);
    } else if (SourceKind.LICENSED.name().equals(kind)) {
      if (inputs.licenses().isPresent()) {
        printReference("licenses", inputs.licenses().get().rows(), "license_id", ref,
            "valid=" + value(row, Facts.LICENSE_VALID) + ", matches=" + value(row, Facts.LICENSE_MATCHES), out);
      } else {
        out.println("Licences: none given in the spec, so no LICENSED row is eligible.");
      }
    }
    out.println();
    out.println(primary == null
        ? "Decision: ELIGIBLE"
        : "Decision: EXCLUDED, primary reason " + primary + (applying.size() > 1 ? "; all reasons " + applying : ""));
  }

  private void printRequest(Row row, String requestId, PrintWriter out) {
    printReference("api_requests", inputs.apiRequests().rows(), "request_id", requestId,
        "known=" + value(row, Facts.REQUEST_KNOWN) + ", matches visible at as_of=" + value(row, Facts.REQUEST_MATCHES)
            + ", fine-tuned model=" + value(row, Facts.REQUEST_FINE_TUNED_MODEL)
            + ", covered by ZDR agreement=" + value(row, Facts.REQUEST_ZDR_AGREEMENT), out);
    String org = value(row, Facts.REQUEST_ORG);
    if (!"true".equals(value(row, Facts.REQUEST_KNOWN)) || org == null) {
      return;
    }
    Dataset<Row> events = inputs.consentEvents().rows()
        .filter(col("org_id").equalTo(org))
        .withColumn("visible_at_as_of", Definitions.visibleAt(Term.field("recorded_at"), run.asOf()).column())
        .withColumn("malformed", coalesce(Definitions.malformedConsentEvent().column(), lit(true)))
        .orderBy(col("effective_at"), col("recorded_at"), col("event_id"));
    out.printf("Consent events of organization %s (project of the request: %s):%n", org,
        value(row, Facts.REQUEST_PROJECT));
    printRows(events, out);
    out.printf("Consent state at submission (%s): organization %s, project %s -> combined %s%n",
        value(row, Facts.REQUEST_SUBMITTED_AT), value(row, Facts.CONSENT_ORG_AT_SUBMISSION),
        value(row, Facts.CONSENT_PROJECT_AT_SUBMISSION), value(row, COMBINED_AT_SUBMISSION));
    out.printf("Consent state at as_of (%s): organization %s, project %s -> combined %s%n", run.asOf(),
        value(row, Facts.CONSENT_ORG_AT_AS_OF), value(row, Facts.CONSENT_PROJECT_AT_AS_OF),
        value(row, COMBINED_AT_AS_OF));
  }

  private static void printReference(
      String table, Dataset<Row> rows, String keyColumn, String key, String verdict, PrintWriter out) {
    out.printf("Provenance: %s rows with %s = %s (%s):%n", table, keyColumn, key, verdict);
    if (key == null) {
      out.println("  (source_ref is null: nothing can match)");
      return;
    }
    printRows(rows.filter(col(keyColumn).equalTo(key)), out);
  }

  private static void printRows(Dataset<Row> rows, PrintWriter out) {
    List<Row> found = rows.limit(50).collectAsList();
    if (found.isEmpty()) {
      out.println("  (none)");
      return;
    }
    String[] names = rows.columns();
    for (Row r : found) {
      StringBuilder line = new StringBuilder("  -");
      for (int i = 0; i < names.length; i++) {
        line.append(' ').append(names[i]).append('=').append(r.isNullAt(i) ? "null" : text(r.get(i)));
      }
      out.println(line);
    }
  }

  private static String value(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? null : text(row.get(index));
  }

  /** Instants in ISO-8601 UTC, like the inputs and the run record. */
  private static String text(Object value) {
    return value instanceof Timestamp timestamp ? timestamp.toInstant().toString() : String.valueOf(value);
  }
}
