package dev.eligibility.jobs.policy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * An expression over one row's named fields, held in two forms that mean the same: a Spark
 * {@link Column} (what the engine evaluates on a cluster, without a UDF) and a plain evaluation
 * over a {@code Map} of field values (what {@code explain}, the verifier and the tests can run on
 * rows they hold, without an engine), in the manner of Iceberg's {@code Evaluator}.
 *
 * <p>The plain form follows Spark SQL's semantics, null included: a comparison with null is
 * null, {@code and}/{@code or} are three-valued, {@code isin} of null is null. Timestamps are
 * {@link Instant}s in plain rows and Spark timestamps in columns; whole numbers compare as
 * {@code long}. Only the operations the policy's definitions use are here.
 *
 * <p>Example: {@code Term.field("f").leq(Term.value(t))} is the column {@code f <= t} and, over
 * {@code Map.of("f", t)}, evaluates to {@code true}.
 */
public final class Term {

  private final Column column;
  private final Function<Map<String, ?>, Object> plain;

  private Term(Column column, Function<Map<String, ?>, Object> plain) {
    this.column = column;
    this.plain = plain;
  }

  /** The field {@code name} of the row. */
  public static Term field(String name) {
    return new Term(functions.col(name), row -> normalize(row.get(name)));
  }

  /**
   * A Spark column that has a name of its own in plain rows: for values a column expression
   * reaches that are not top-level fields (the members of a struct in a higher-order function).
   */
  public static Term bound(Column column, String plainName) {
    return new Term(column, row -> normalize(row.get(plainName)));
  }

  /** A Spark column with no plain form (for checks that only ever run in Spark). */
  public static Term of(Column column) {
    return new Term(column, row -> {
      throw new UnsupportedOperationException("no plain form for " + column);
    });
  }

  /** A constant: a string, boolean, whole number or {@link Instant}. */
  public static Term value(Object constant) {
    Object plainValue = normalize(constant);
    Object sparkValue = constant instanceof Instant instant ? Timestamp.from(instant) : constant;
    return new Term(functions.lit(sparkValue), row -> plainValue);
  }

  /** The Spark form. */
  public Column column() {
    return column;
  }

  /** The plain form over one row (missing fields read as null). */
  public Object evaluate(Map<String, ?> row) {
    return plain.apply(row);
  }

  /** The plain form of a condition: true, false or null (undecided). */
  public Boolean test(Map<String, ?> row) {
    return (Boolean) evaluate(row);
  }

  public Term isNull() {
    return new Term(column.isNull(), row -> evaluate(row) == null);
  }

  public Term isNotNull() {
    return new Term(column.isNotNull(), row -> evaluate(row) != null);
  }

  public Term equalTo(Term other) {
    return compared(column.equalTo(other.column), other, c -> c == 0);
  }

  public Term notEqual(Term other) {
    return compared(column.notEqual(other.column), other, c -> c != 0);
  }

  public Term lt(Term other) {
    return compared(column.lt(other.column), other, c -> c < 0);
  }

  public Term gt(Term other) {
    return compared(column.gt(other.column), other, c -> c > 0);
  }

  public Term leq(Term other) {
    return compared(column.leq(other.column), other, c -> c <= 0);
  }

  /** Equality that is never null: two nulls are equal, a null and a value are not. */
  public Term eqNullSafe(Term other) {
    return new Term(column.eqNullSafe(other.column), row -> {
      Object a = evaluate(row);
      Object b = other.evaluate(row);
      return a == null || b == null ? a == b : compare(a, b) == 0;
    });
  }

  public Term isin(List<?> values) {
    List<Object> plainValues = values.stream().map(Term::normalize).toList();
    return new Term(column.isin(values.toArray()), row -> {
      Object a = evaluate(row);
      if (a == null) {
        return null;
      }
      return plainValues.stream().anyMatch(v -> v != null && compare(a, v) == 0) ? true
          : plainValues.contains(null) ? null : false;
    });
  }

  /** True when the string starts with {@code prefix} in any letter case. */
  public Term startsWithIgnoringCase(String prefix) {
    String lowerPrefix = prefix.toLowerCase(Locale.ROOT);
    return new Term(functions.lower(column).startsWith(lowerPrefix), row -> {
      Object a = evaluate(row);
      return a == null ? null : ((String) a).toLowerCase(Locale.ROOT).startsWith(lowerPrefix);
    });
  }

  /** Three-valued and: false if either side is false, else null if either is null. */
  public Term and(Term other) {
    return new Term(column.and(other.column), row -> {
      Boolean a = test(row);
      Boolean b = other.test(row);
      if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
        return false;
      }
      return a == null || b == null ? null : true;
    });
  }

  /** Three-valued or: true if either side is true, else null if either is null. */
  public Term or(Term other) {
    return new Term(column.or(other.column), row -> {
      Boolean a = test(row);
      Boolean b = other.test(row);
      if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
        return true;
      }
      return a == null || b == null ? null : false;
    });
  }

  /** The first operand that is not null. */
  public static Term coalesce(Term... terms) {
    List<Term> all = Arrays.asList(terms);
    return new Term(functions.coalesce(all.stream().map(Term::column).toArray(Column[]::new)), row -> {
      for (Term term : all) {
        Object value = term.evaluate(row);
        if (value != null) {
          return value;
        }
      }
      return null;
    });
  }

  /** {@code then} where {@code condition} is true; {@code otherwise} where it is false or null. */
  public static Term when(Term condition, Term then, Term otherwise) {
    return new Term(functions.when(condition.column, then.column).otherwise(otherwise.column),
        row -> Boolean.TRUE.equals(condition.test(row)) ? then.evaluate(row) : otherwise.evaluate(row));
  }

  /** Spark's {@code not}: null stays null. */
  public Term negated() {
    return new Term(functions.not(column), row -> {
      Boolean a = test(row);
      return a == null ? null : !a;
    });
  }

  private Term compared(Column sparkForm, Term other, java.util.function.IntPredicate holds) {
    return new Term(sparkForm, row -> {
      Object a = evaluate(row);
      Object b = other.evaluate(row);
      return a == null || b == null ? null : holds.test(compare(a, b));
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (!a.getClass().equals(b.getClass())) {
      throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " with "
          + b.getClass().getSimpleName());
    }
    return ((Comparable) a).compareTo(b);
  }

  /** Plain values in one type per kind: {@code long} for whole numbers, {@link Instant} for times. */
  private static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant();
    }
    return value;
  }

  @Override
  public String toString() {
    return Objects.toString(column);
  }
}
