package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.testing.Judge.AS_OF;
import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static dev.eligibility.jobs.testing.Judge.baseModel;
import static dev.eligibility.jobs.testing.Judge.fineTune;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every rule and every definition has two forms, a Spark column and a plain evaluation; they must
 * mean the same on every row, nulls and boundaries included. Random rows over small value sets
 * (so that equalities, the cutoff, as_of and empty strings are hit often) are evaluated both ways.
 */
class PlainAndSparkFormsAgreeTest {

  private static final int ROWS = 600;
  private static final Instant[] TIMES = {
      CUTOFF.minus(Duration.ofDays(40)), CUTOFF.minusNanos(1000), CUTOFF, AS_OF.minusNanos(1000), AS_OF,
      AS_OF.plusNanos(1000)};

  /** The fields a rule or definition reads, with their Spark types and the values drawn for them. */
  private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

  private record Field(DataType type, Object[] values) {}

  static {
    Object[] strings = {null, "", "org-a", "org-b"};
    Object[] booleans = {null, true, false};
    Object[] counts = {null, 0L, 1L, 2L};
    Object[] states = {null, "OPT_IN", "OPT_OUT", "NONE"};
    field("record_id", DataTypes.StringType, null, "", "rec");
    field("source_kind", DataTypes.StringType, null, "API", "FINE_TUNE_FILE", "LICENSED", "PUBLIC_WEB",
        "CONSUMER_APP", "FINE_TUNED_INFERENCE", "HUMAN_REVIEWER", "api", "BOGUS");
    field(Facts.ID_OCCURRENCES, DataTypes.LongType, counts);
    field(Facts.REQUEST_MATCHES, DataTypes.LongType, counts);
    field(Facts.REQUEST_KNOWN, DataTypes.BooleanType, booleans);
    field(Facts.REQUEST_ORG, DataTypes.StringType, strings);
    field(Facts.REQUEST_CHANNEL, DataTypes.StringType, null, "API", "PLAYGROUND", "api", "CHATGPT");
    field(Facts.REQUEST_ENDPOINT, DataTypes.StringType, null, "", "/v1/chat/completions", "/v1/audio/speech");
    field(Facts.REQUEST_MODEL, DataTypes.StringType, null, "gpt-4o", "ft:gpt-4o:org-a", "FT:x", "aft:");
    field(Facts.REQUEST_MODEL_LISTED, DataTypes.BooleanType, booleans);
    field(Facts.REQUEST_SUBMITTED_AT, DataTypes.TimestampType, times());
    field(Facts.REQUEST_ZDR, DataTypes.BooleanType, booleans);
    field(Facts.REQUEST_ZDR_AGREEMENT, DataTypes.BooleanType, booleans);
    field(Facts.REQUEST_FINE_TUNED_MODEL, DataTypes.BooleanType, booleans);
    field(Facts.CONSENT_ORG_AT_SUBMISSION, DataTypes.StringType, states);
    field(Facts.CONSENT_PROJECT_AT_SUBMISSION, DataTypes.StringType, states);
    field(Facts.CONSENT_ORG_AT_AS_OF, DataTypes.StringType, states);
    field(Facts.CONSENT_PROJECT_AT_AS_OF, DataTypes.StringType, states);
    field(Facts.FILE_MATCHES, DataTypes.LongType, counts);
    field(Facts.FILE_KNOWN, DataTypes.BooleanType, booleans);
    field(Facts.FILE_ORG, DataTypes.StringType, strings);
    field(Facts.FILE_UPLOADED_AT, DataTypes.TimestampType, times());
    field(Facts.FILE_DELETED_AT, DataTypes.TimestampType, times());
    field(Facts.LICENSE_MATCHES, DataTypes.LongType, counts);
    field(Facts.LICENSE_VALID, DataTypes.BooleanType, booleans);
    field(Facts.LICENSE_PERMITS, DataTypes.BooleanType, booleans);
    field(Facts.LICENSE_VALID_FROM, DataTypes.TimestampType, times());
    field(Facts.LICENSE_VALID_TO, DataTypes.TimestampType, times());
    field("decision", DataTypes.StringType, null, "OPT_IN", "OPT_OUT", "opt_in", "");
    field("effective_at", DataTypes.TimestampType, times());
    field("recorded_at", DataTypes.TimestampType, times());
    field("effective_from", DataTypes.TimestampType, times());
    field("effective_to", DataTypes.TimestampType, times());
    field("endpoint", DataTypes.StringType, null, "/v1/chat/completions", "/v1/embeddings");
  }

  private static void field(String name, DataType type, Object... values) {
    FIELDS.put(name, new Field(type, values));
  }

  private static Object[] times() {
    Object[] values = new Object[TIMES.length + 1];
    System.arraycopy(TIMES, 0, values, 1, TIMES.length);
    return values;
  }

  @Test
  void everyRuleOfBothPurposesMeansTheSameInBothForms() {
    Map<String, Term> terms = new LinkedHashMap<>();
    for (RunContext run : List.of(baseModel(AS_OF), fineTune("org-a", AS_OF))) {
      for (EligibilityRule rule : PolicyRules.forRun(run)) {
        terms.put(run.purpose() + " " + rule.reason(), rule.condition());
      }
    }
    assertAgree(terms);
  }

  @Test
  void everyDefinitionMeansTheSameInBothForms() {
    Map<String, Term> terms = new LinkedHashMap<>();
    terms.put("present", Definitions.present(Term.field("record_id")));
    terms.put("visibleAt", Definitions.visibleAt(Term.field("recorded_at"), AS_OF));
    terms.put("covers", Definitions.covers(Term.field("effective_from"), Term.field("effective_to"),
        Term.field(Facts.REQUEST_SUBMITTED_AT)));
    terms.put("knownRequest", Definitions.knownRequest());
    terms.put("fineTunedModel", Definitions.fineTunedModel());
    terms.put("zdrAgreementCovers", Definitions.zdrAgreementCovers(Term.field("effective_from"),
        Term.field("effective_to"), Term.field("endpoint")));
    terms.put("knownFile", Definitions.knownFile());
    terms.put("validLicence", Definitions.validLicence(AS_OF));
    terms.put("malformedConsentEvent", Definitions.malformedConsentEvent());
    terms.put("consentAtSubmission", Definitions.consentAtSubmission());
    terms.put("consentAtAsOf", Definitions.consentAtAsOf());
    assertAgree(terms);
  }

  @Test
  void aRuleThatCannotBeDecidedAppliesInBothForms() {
    EligibilityRule undecided = new EligibilityRule(Reason.NO_PROVENANCE,
        Term.field(Facts.REQUEST_KNOWN).equalTo(Term.value(true)));
    Map<String, Object> nullFact = new HashMap<>();
    nullFact.put(Facts.REQUEST_KNOWN, null);
    assertThat(undecided.appliesTo(nullFact)).isTrue();
    Row row = TestSpark.session().sql("SELECT CAST(NULL AS BOOLEAN) AS `" + Facts.REQUEST_KNOWN + "`")
        .select(undecided.applies()).first();
    assertThat(row.getBoolean(0)).isTrue();
  }

  private static void assertAgree(Map<String, Term> terms) {
    Random random = new Random(20261201L);
    List<Map<String, Object>> plainRows = new ArrayList<>();
    List<Row> sparkRows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      Map<String, Object> plain = new HashMap<>();
      Object[] spark = new Object[FIELDS.size()];
      int column = 0;
      for (Map.Entry<String, Field> entry : FIELDS.entrySet()) {
        Object[] values = entry.getValue().values();
        Object value = values[random.nextInt(values.length)];
        plain.put(entry.getKey(), value);
        spark[column++] = value instanceof Instant instant ? Timestamp.from(instant) : value;
      }
      plainRows.add(plain);
      sparkRows.add(RowFactory.create(spark));
    }
    StructType schema = new StructType(FIELDS.entrySet().stream()
        .map(e -> new StructField(e.getKey(), e.getValue().type(), true, org.apache.spark.sql.types.Metadata.empty()))
        .toArray(StructField[]::new));
    Dataset<Row> rows = TestSpark.session().createDataFrame(sparkRows, schema);
    List<String> names = new ArrayList<>(terms.keySet());
    Column[] evaluated = names.stream().map(name -> terms.get(name).column().as(name)).toArray(Column[]::new);
    // One row per input row, in order: a local relation keeps it, and the index makes it explicit.
    List<Row> results = rows.select(evaluated).collectAsList();

    assertThat(results).hasSize(ROWS);
    int decidedBoth = 0;
    for (int i = 0; i < ROWS; i++) {
      for (int t = 0; t < names.size(); t++) {
        Object sparkValue = results.get(i).get(t);
        Object expected = sparkValue instanceof Timestamp ts ? ts.toInstant() : sparkValue;
        Object plainValue = terms.get(names.get(t)).evaluate(plainRows.get(i));
        assertThat(plainValue).as("%s on %s", names.get(t), plainRows.get(i)).isEqualTo(expected);
        decidedBoth += Boolean.TRUE.equals(plainValue) ? 1 : 0;
      }
    }
    // The draw must reach rows where conditions hold, not only the trivial false/null answers.
    assertThat(decidedBoth).isGreaterThan(ROWS / 10);
  }
}
