package dev.eligibility.jobs.decision;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.policy.Facts;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The corpus inputs of a run as one frame, united by column name, each row tagged with the name
 * of its input ({@link Facts#INPUT}).
 */
public final class CorpusUnion {

  /** The corpus columns the rules read, besides the input; never the payload. */
  public static final List<String> KEY_COLUMNS = List.of("record_id", "source_kind", "source_ref");

  private CorpusUnion() {}

  /** Every corpus row with every corpus column (payload included) and {@link Facts#INPUT}. */
  public static Dataset<Row> rows(List<BoundTable> inputs) {
    Dataset<Row> union = null;
    String firstName = null;
    for (BoundTable input : inputs) {
      checkColumnNames(input);
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

  /**
   * Every corpus row narrowed to {@link Facts#INPUT} and {@link #KEY_COLUMNS}: what the decision
   * reads. Columnar inputs never read the other columns for it.
   */
  public static Dataset<Row> keys(List<BoundTable> inputs) {
    return keys(inputs, List.of());
  }

  /** The keys of every corpus row and the corpus columns {@code carried}, which every input has. */
  public static Dataset<Row> keys(List<BoundTable> inputs, List<String> carried) {
    List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>();
    KEY_COLUMNS.forEach(name -> columns.add(col(name)));
    carried.forEach(name -> columns.add(col(name)));
    Dataset<Row> union = null;
    for (BoundTable input : inputs) {
      Dataset<Row> named = input.rows().select(columns.toArray(org.apache.spark.sql.Column[]::new))
          .withColumn(Facts.INPUT, lit(input.input().name()));
      union = union == null ? named : union.union(named);
    }
    return union;
  }

  /** The corpus columns of a united frame, in order, without the engine's columns. */
  public static List<String> corpusColumns(Dataset<Row> united) {
    return Arrays.stream(united.columns()).filter(c -> !c.startsWith(Facts.PREFIX)).toList();
  }

  /**
   * Throws the input error that uniting the corpus inputs would (a reserved column name, columns
   * of one name with different types), without running anything: a run checks this with its other
   * inputs, before it claims its output root.
   */
  public static void check(List<BoundTable> inputs) {
    rows(inputs);
  }

  private static void checkColumnNames(BoundTable input) {
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
  }
}
