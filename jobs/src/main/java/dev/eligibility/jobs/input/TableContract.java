package dev.eligibility.jobs.input;

import java.util.List;
import java.util.Objects;

/**
 * A table of the data contract.
 *
 * @param table the contract's table name
 * @param idColumn the column that identifies a row in error messages
 * @param columns the contract columns, in order
 * @param passesExtraColumns whether columns beyond the contract are kept (the corpus) or dropped
 */
public record TableContract(String table, String idColumn, List<ContractColumn> columns, boolean passesExtraColumns) {

  public TableContract {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(idColumn, "idColumn");
    columns = List.copyOf(columns);
  }

  public List<String> columnNames() {
    return columns.stream().map(ContractColumn::name).toList();
  }
}
