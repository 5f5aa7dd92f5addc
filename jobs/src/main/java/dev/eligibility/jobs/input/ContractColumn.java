package dev.eligibility.jobs.input;

import java.util.Objects;
import java.util.Optional;

/**
 * One column of a contract table.
 *
 * @param name the column's name, matched exactly
 * @param type its value type
 * @param required whether the column must exist (its values may still be null unless
 *     {@code nullStopsRun} says why they must not)
 * @param nullStopsRun if present, a null or empty value stops the run, for the reason given
 */
public record ContractColumn(String name, ColumnType type, boolean required, Optional<String> nullStopsRun) {

  public ContractColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(nullStopsRun, "nullStopsRun");
  }

  static ContractColumn required(String name, ColumnType type) {
    return new ContractColumn(name, type, true, Optional.empty());
  }

  static ContractColumn optional(String name, ColumnType type) {
    return new ContractColumn(name, type, false, Optional.empty());
  }

  ContractColumn presentOrStop(String why) {
    return new ContractColumn(name, type, required, Optional.of(why));
  }
}
