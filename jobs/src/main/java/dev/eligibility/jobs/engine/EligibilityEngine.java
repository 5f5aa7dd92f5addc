package dev.eligibility.jobs.engine;

import dev.eligibility.jobs.policy.FactConditions;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.policy.EligibilityRule;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyRules;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.SourceKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Decides every corpus row of a run.
 *
 * <p>Data flow: the corpus inputs are unioned by column name; each non-empty {@code record_id}
 * is counted over the whole corpus (one shuffle by id); the {@code API} subset is joined to the
 * requests it names (a shuffle join: both may be large), then to fine-tuned models, ZDR
 * agreements and consent intervals (broadcast); the rows are put back together with the other
 * kinds, training files and licences are attached (broadcast), and the rules of
 * {@link PolicyRules} give each row its primary reason (the first that applies, null when
 * eligible) and every reason that applies. Nothing is collected to the driver.
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
   * The corpus rows with their facts, {@link Facts#REASON} and {@link Facts#REASONS}. Corpus
   * columns keep their names; the engine's own columns all start with {@link Facts#PREFIX}.
   */
  public Dataset<Row> decide(InputTables inputs) {
    return applyRules(facts(inputs));
  }

  /** The corpus rows with every fact the rules read, before any rule is applied. */
  public Dataset<Row> facts(InputTables inputs) {
    Dataset<Row> corpus = unionCorpus(inputs.corpus());
    Column id = col("record_id");
    corpus = corpus.withColumn(Facts.ID_OCCURRENCES,
        when(id.isNotNull().and(id.notEqual("")), count(lit(1)).over(Window.partitionBy(id))));

    Column isApi = FactConditions.kindIs(SourceKind.API);
    Dataset<Row> apiRows = ReferenceFacts.attachRequests(
        corpus.filter(isApi), inputs.apiRequests().rows(), run.asOf());
    apiRows = ReferenceFacts.attachFineTunedModels(apiRows, inputs.fineTunedModels().rows());
    apiRows = inputs.zdrAgreements().isPresent()
        ? ReferenceFacts.attachZdrAgreements(apiRows, inputs.zdrAgreements().get().rows())
        : apiRows.withColumn(Facts.REQUEST_ZDR_AGREEMENT, lit(false));
    apiRows = ReferenceFacts.attachConsent(apiRows,
        ConsentIntervals.build(inputs.consentEvents().rows(), run.asOf()));

    Dataset<Row> otherRows = corpus.filter(org.apache.spark.sql.functions.not(isApi));
    Dataset<Row> all = apiRows.unionByName(otherRows, true);
    all = ReferenceFacts.attachFiles(all, inputs.fineTuneFiles().rows(), run.asOf());
    if (inputs.licenses().isPresent()) {
      all = ReferenceFacts.attachLicenses(all, inputs.licenses().get().rows(), run.asOf());
    } else {
      all = all.withColumn(Facts.LICENSE_MATCHES, lit(0L)).withColumn(Facts.LICENSE_VALID, lit(false));
    }
    return all;
  }

  /** Adds the primary reason and every applying reason, evaluating the rules as Column expressions. */
  public Dataset<Row> applyRules(Dataset<Row> facts) {
    List<Column> applying = new ArrayList<>();
    Column primary = null;
    for (EligibilityRule rule : rules) {
      // Fail closed: a condition that cannot be decided (null) counts as applying.
      Column applies = coalesce(rule.applies(), lit(true));
      Column reason = when(applies, lit(rule.reason().name()));
      applying.add(reason);
      primary = primary == null ? reason : coalesce(primary, reason);
    }
    return facts
        .withColumn(Facts.REASON, primary)
        .withColumn(Facts.REASONS, array_compact(array(applying.toArray(Column[]::new))));
  }

  /** The corpus columns of the decided rows, in order, without the engine's columns. */
  public static List<String> corpusColumns(Dataset<Row> decided) {
    return java.util.Arrays.stream(decided.columns()).filter(c -> !c.startsWith(Facts.PREFIX)).toList();
  }

  /**
   * Throws the input error that combining the corpus inputs would (a reserved column name,
   * columns of one name with different types), without running anything: a run checks this with
   * its other inputs, before it claims its output root.
   */
  public static void checkCorpus(List<BoundTable> inputs) {
    unionCorpus(inputs);
  }

  private static Dataset<Row> unionCorpus(List<BoundTable> inputs) {
    Dataset<Row> union = null;
    String firstName = null;
    for (BoundTable input : inputs) {
      for (String column : input.rows().columns()) {
        if (column.startsWith(Facts.PREFIX)) {
          throw Errors.reservedColumn("corpus '" + input.input().name() + "'", column,
              "starts with the prefix " + Facts.PREFIX + " that the filter reserves for its own columns");
        }
        if (column.equals("run_id")) {
          throw Errors.reservedColumn("corpus '" + input.input().name() + "'", column,
              "the eligible table adds itself; rename the column upstream");
        }
      }
      Dataset<Row> named = input.rows().withColumn(Facts.INPUT, lit(input.input().name()));
      if (union == null) {
        union = named;
        firstName = input.input().name();
      } else {
        try {
          union = union.unionByName(named, true);
        } catch (Exception e) {
          if (e instanceof AnalysisException analysis) {
            throw Errors.incompatibleCorpusInputs(firstName, input.input().name(), analysis.getSimpleMessage());
          }
          throw e;
        }
      }
    }
    return union;
  }
}
