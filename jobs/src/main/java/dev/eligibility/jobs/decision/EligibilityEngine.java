package dev.eligibility.jobs.decision;

import static dev.eligibility.jobs.policy.FactConditions.kindIs;
import static dev.eligibility.jobs.policy.FactConditions.not;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.policy.EligibilityRule;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyRules;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.SourceKind;
import dev.eligibility.jobs.policy.Term;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Decides every corpus row of a run, on the row's keys alone.
 *
 * <p>The rules read four corpus columns: the input, {@code record_id}, {@code source_kind} and
 * {@code source_ref}. The engine decides on that narrow projection, so the payload never enters
 * a shuffle, a sort or a cache here (the eligible rows' payload is moved once, by
 * {@code EligibleRowsPass}). Data flow: every non-empty {@code record_id} is grouped once to find
 * the ids that occur more than once (usually few), which are joined back; each API request is
 * decided once (its fine-tuned model, ZDR agreements and consent at submission and at as_of) and
 * joined to the {@code API} rows that name it; training files and licences are reduced to one row
 * per id and joined to the rows of their kind. Rows a join key cannot match (an empty id, a null
 * reference) never enter that join's shuffle, so they cannot pile up on one reducer. The joins
 * carry no hints: adaptive execution broadcasts a side that is small at run time and shuffles
 * otherwise. Nothing is collected to the driver.
 */
public final class EligibilityEngine {

  private final RunContext run;
  private final List<EligibilityRule> rules;

  public EligibilityEngine(RunContext run) {
    this.run = run;
    this.rules = PolicyRules.forRun(run);
  }

  public List<EligibilityRule> rules() {
    return rules;
  }

  /**
   * The corpus keys with their facts, {@link Facts#REASON} and {@link Facts#REASONS}: one row per
   * corpus row, with {@link Facts#INPUT}, {@code record_id}, {@code source_kind}, {@code source_ref}
   * and the engine's columns, which all start with {@link Facts#PREFIX}.
   */
  public Dataset<Row> decide(InputTables inputs) {
    return applyRules(facts(inputs));
  }

  /**
   * The corpus keys as {@link CorpusUnion#keys} gives them with {@link Facts#ID_OCCURRENCES}: what
   * {@link #decideCounted} decides. A caller that persists them reads the corpus once (a JSON or CSV
   * input cannot be read by column) and gives every branch of the decision the same rows to
   * filter, instead of a copy of the grouping and the scan for each.
   */
  public static Dataset<Row> countIds(Dataset<Row> corpusKeys) {
    return ReferenceFacts.attachIdOccurrences(corpusKeys);
  }

  /** Decides the keys {@link #countIds} gives. */
  public Dataset<Row> decideCounted(Dataset<Row> countedKeys, InputTables inputs) {
    return applyRules(factsOfCounted(countedKeys, inputs));
  }

  /** The corpus keys with every fact the rules read, before any rule is applied. */
  public Dataset<Row> facts(InputTables inputs) {
    return factsOfCounted(countIds(CorpusUnion.keys(inputs.corpus())), inputs);
  }

  private Dataset<Row> factsOfCounted(Dataset<Row> keys, InputTables inputs) {

    Dataset<Row> requests = ReferenceFacts.decideRequests(inputs.apiRequests().rows(), run.asOf(),
        inputs.fineTunedModels().rows(), inputs.zdrAgreements().map(BoundTable::rows),
        ConsentIntervals.build(inputs.consentEvents().rows(), run.asOf()));
    Dataset<Row> api = ReferenceFacts.attachRequests(keys.filter(kindIs(SourceKind.API).column()), requests);
    Dataset<Row> files = ReferenceFacts.attachFiles(
        keys.filter(kindIs(SourceKind.FINE_TUNE_FILE).column()), inputs.fineTuneFiles().rows(), run.asOf());
    Dataset<Row> licensed = keys.filter(kindIs(SourceKind.LICENSED).column());
    licensed = inputs.licenses().isPresent()
        ? ReferenceFacts.attachLicenses(licensed, inputs.licenses().get().rows(), run.asOf())
        : licensed.withColumn(Facts.LICENSE_MATCHES, lit(0L)).withColumn(Facts.LICENSE_VALID, lit(false));
    Dataset<Row> others = keys.filter(not(Term.field("source_kind").isin(
        List.of(SourceKind.API.name(), SourceKind.FINE_TUNE_FILE.name(), SourceKind.LICENSED.name()))).column());

    // Facts a row's kind does not look up: no file and no licence matched (requests stay null).
    return api.unionByName(files, true).unionByName(licensed, true).unionByName(others, true)
        .withColumn(Facts.FILE_MATCHES, coalesce(col(Facts.FILE_MATCHES), lit(0L)))
        .withColumn(Facts.FILE_KNOWN, coalesce(col(Facts.FILE_KNOWN), lit(false)))
        .withColumn(Facts.LICENSE_MATCHES, coalesce(col(Facts.LICENSE_MATCHES), lit(0L)))
        .withColumn(Facts.LICENSE_VALID, coalesce(col(Facts.LICENSE_VALID), lit(false)));
  }

  /**
   * Adds every applying reason and the primary reason, evaluating the rules as Column expressions.
   * Each rule's condition is written into the plan once: the primary reason is the first element
   * of the applying reasons (policy order), not a second chain of the same conditions, which
   * would double the expression the code generator and its subexpression elimination walk in every
   * task.
   */
  public Dataset<Row> applyRules(Dataset<Row> facts) {
    List<Column> applying = new ArrayList<>();
    for (EligibilityRule rule : rules) {
      // Fail closed: a condition that cannot be decided (null) counts as applying (see applies()).
      applying.add(when(rule.applies(), lit(rule.reason().name())));
    }
    List<Column> columns = new ArrayList<>();
    for (String name : facts.columns()) {
      columns.add(col(name));
    }
    columns.add(col(Facts.REASON));
    columns.add(col(Facts.REASONS));
    return facts
        .withColumn(Facts.REASONS, array_compact(array(applying.toArray(Column[]::new))))
        .withColumn(Facts.REASON, get(col(Facts.REASONS), lit(0)))
        .select(columns.toArray(Column[]::new));
  }
}
