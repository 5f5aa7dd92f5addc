package dev.eligibility.jobs.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The catalog names a run registers its output tables under ({@code output.catalog} in the run
 * spec), each optional: {@code eligible} and {@code exclusions}, as {@code database.table} or
 * {@code catalog.database.table}. A name is always qualified, so that the session's current
 * database never decides where a table lands.
 *
 * @param eligible the name of {@code eligible/}, if it is to be registered
 * @param exclusions the name of {@code exclusions/}, if it is to be registered
 */
public record CatalogTables(Optional<String> eligible, Optional<String> exclusions) {

  /** Two or three identifiers of letters, digits and underscores, not starting with a digit. */
  public static final Pattern QUALIFIED_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){1,2}");

  /** No table registered. */
  public static CatalogTables none() {
    return new CatalogTables(Optional.empty(), Optional.empty());
  }

  /** The names to register, by output table ({@code eligible}, {@code exclusions}), in that order. */
  public Map<String, String> byOutput() {
    Map<String, String> names = new LinkedHashMap<>();
    eligible.ifPresent(name -> names.put("eligible", name));
    exclusions.ifPresent(name -> names.put("exclusions", name));
    return names;
  }
}
