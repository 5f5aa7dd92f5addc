package dev.eligibility.jobs.input;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The three value types the data contract uses. */
public enum ColumnType {
  STRING("string", DataTypes.StringType),
  BOOLEAN("boolean", DataTypes.BooleanType),
  /** An instant; text is ISO-8601 ({@code 2023-03-01T00:00:00Z}), read in UTC. */
  TIMESTAMP("timestamp", DataTypes.TimestampType);

  private final String label;
  private final DataType sparkType;

  ColumnType(String label, DataType sparkType) {
    this.label = label;
    this.sparkType = sparkType;
  }

  public String label() {
    return label;
  }

  public DataType sparkType() {
    return sparkType;
  }

  /** Whether a column stored with {@code stored} type can be read as this type without parsing. */
  boolean acceptsStored(DataType stored) {
    if (this == TIMESTAMP) {
      return stored.equals(DataTypes.TimestampType) || stored.equals(DataTypes.TimestampNTZType);
    }
    return stored.equals(sparkType);
  }
}
