package dev.eligibility.jobs.spec;

import dev.eligibility.jobs.errors.Errors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a run spec (see docs/data-contract.md, "The run spec") and rejects, before any data is read,
 * every spec the contract calls an error: unknown keys at any level, a bad {@code run_id}, a
 * missing output or required input, duplicate corpus names, a purpose and organization that do
 * not fit, an {@code as_of} without a zone or in the future.
 */
public final class RunSpecParser {

  /** Run ids name files and table predicates, so they are kept to a safe alphabet. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private static final Set<String> TOP_KEYS =
      Set.of("run_id", "purpose", "fine_tune_org_id", "as_of", "inputs", "output", "policy", "accept_drift");
  private static final Set<String> INPUT_KEYS =
      Set.of("corpus", "api_requests", "consent_events", "fine_tune_files", "fine_tuned_models",
          "zdr_agreements", "licenses");
  private static final Set<String> CORPUS_ENTRY_KEYS = Set.of("name", "path", "format", "version", "timestamp");
  private static final Set<String> TABLE_ENTRY_KEYS = Set.of("path", "format", "version", "timestamp");
  private static final Set<String> OUTPUT_KEYS = Set.of("root", "catalog");
  private static final Set<String> CATALOG_KEYS = Set.of("eligible", "exclusions");

  private final Clock clock;

  public RunSpecParser(Clock clock) {
    this.clock = clock;
  }

  /** Reads and validates the spec at {@code file}. */
  public RunSpec parse(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    Path folder = file.toAbsolutePath().getParent();
    return parse(file.toString(), bytes, folder);
  }

  RunSpec parse(String source, byte[] bytes, Path folder) {
    StrictYaml top = StrictYaml.parse(source, bytes, TOP_KEYS);

    String runId = top.requiredText("run_id");
    if (!RUN_ID.matcher(runId).matches()) {
      throw Errors.badValue(source, "run_id", runId, "1 to 128 characters from A-Z a-z 0-9 . _ -");
    }
    String purposeText = top.requiredText("purpose");
    Purpose purpose;
    try {
      purpose = Purpose.valueOf(purposeText);
    } catch (IllegalArgumentException e) {
      throw Errors.badValue(source, "purpose", purposeText, "BASE_MODEL or FINE_TUNE");
    }
    Optional<String> org = top.optionalText("fine_tune_org_id");
    if (purpose == Purpose.FINE_TUNE && org.filter(o -> !o.isEmpty()).isEmpty()) {
      throw Errors.specConflict(source,
          "a FINE_TUNE run needs key 'fine_tune_org_id' naming the organization it is for.");
    }
    if (purpose == Purpose.BASE_MODEL && org.isPresent()) {
      throw Errors.specConflict(source,
          "key 'fine_tune_org_id' is only allowed for purpose FINE_TUNE; remove it from a BASE_MODEL run.");
    }
    Optional<Instant> asOf = top.optionalInstant("as_of");
    Instant now = clock.instant();
    asOf.filter(instant -> instant.isAfter(now)).ifPresent(instant -> {
      throw Errors.asOfInFuture(source, instant, now);
    });

    StrictYaml inputs = top.requiredMapping("inputs", INPUT_KEYS);
    List<TableInput> corpus = new ArrayList<>();
    Set<String> corpusNames = new HashSet<>();
    for (StrictYaml entry : inputs.requiredMappingList("corpus", CORPUS_ENTRY_KEYS)) {
      String name = entry.requiredText("name");
      if (name.isEmpty()) {
        throw Errors.badValue(source, entry.keyPath("name"), name, "a non-empty name");
      }
      if (!corpusNames.add(name)) {
        throw Errors.specConflict(source,
            "two corpus inputs are named '" + name + "' (" + entry.keyPath("name")
                + "); give each corpus input its own name.");
      }
      corpus.add(table(entry, name, folder));
    }
    StrictYaml output = top.requiredMapping("output", OUTPUT_KEYS);
    String outputRoot = resolve(output, "root", folder);
    return new RunSpec(
        source,
        runId,
        purpose,
        org,
        asOf,
        corpus,
        requiredTable(inputs, "api_requests", folder),
        requiredTable(inputs, "consent_events", folder),
        requiredTable(inputs, "fine_tune_files", folder),
        requiredTable(inputs, "fine_tuned_models", folder),
        inputs.optionalMapping("zdr_agreements", TABLE_ENTRY_KEYS).map(e -> table(e, "zdr_agreements", folder)),
        inputs.optionalMapping("licenses", TABLE_ENTRY_KEYS).map(e -> table(e, "licenses", folder)),
        outputRoot,
        catalogTables(output),
        top.optionalText("policy").map(p -> resolvePath(p, folder)),
        acceptDrift(top));
  }

  /** {@code accept_drift}: optional, {@code true} or {@code false}. */
  private static boolean acceptDrift(StrictYaml top) {
    Optional<String> value = top.optionalText("accept_drift");
    if (value.isPresent() && !value.get().equals("true") && !value.get().equals("false")) {
      throw Errors.badValue(top.file(), top.keyPath("accept_drift"), value.get(), "true or false");
    }
    return value.map(Boolean::parseBoolean).orElse(false);
  }

  /** {@code output.catalog}: optional; each name qualified, the two names different. */
  private static CatalogTables catalogTables(StrictYaml output) {
    Optional<StrictYaml> catalog = output.optionalMapping("catalog", CATALOG_KEYS);
    if (catalog.isEmpty()) {
      return CatalogTables.none();
    }
    CatalogTables tables = new CatalogTables(catalogName(catalog.get(), "eligible"),
        catalogName(catalog.get(), "exclusions"));
    if (tables.eligible().isPresent() && tables.eligible().map(String::toLowerCase)
        .equals(tables.exclusions().map(String::toLowerCase))) {
      throw Errors.specConflict(output.file(), "keys '" + catalog.get().keyPath("eligible") + "' and '"
          + catalog.get().keyPath("exclusions") + "' name the same table; give each output table its own name.");
    }
    return tables;
  }

  private static Optional<String> catalogName(StrictYaml catalog, String key) {
    Optional<String> name = catalog.optionalText(key);
    name.filter(text -> !CatalogTables.QUALIFIED_NAME.matcher(text).matches()).ifPresent(text -> {
      throw Errors.badValue(catalog.file(), catalog.keyPath(key), text,
          "a qualified table name, database.table or catalog.database.table (letters, digits, _)");
    });
    return name;
  }

  private static TableInput requiredTable(StrictYaml inputs, String key, Path folder) {
    return table(inputs.requiredMapping(key, TABLE_ENTRY_KEYS), key, folder);
  }

  private static TableInput table(StrictYaml entry, String name, Path folder) {
    String formatText = entry.requiredText("format");
    TableFormat format = TableFormat.fromKey(formatText)
        .orElseThrow(() -> Errors.badValue(entry.file(), entry.keyPath("format"), formatText,
            "one of " + String.join(", ", TableFormat.keys())));
    return new TableInput(name, resolve(entry, "path", folder), format, pin(entry, format));
  }

  /** {@code version: N} or {@code timestamp: T}, only on a Delta input, never both. */
  private static Optional<DeltaPin> pin(StrictYaml entry, TableFormat format) {
    Optional<String> version = entry.optionalText("version");
    Optional<Instant> timestamp = entry.optionalInstant("timestamp");
    if (version.isEmpty() && timestamp.isEmpty()) {
      return Optional.empty();
    }
    String key = version.isPresent() ? "version" : "timestamp";
    if (format != TableFormat.DELTA) {
      throw Errors.specConflict(entry.file(), "key '" + entry.keyPath(key) + "' pins a Delta table's snapshot;"
          + " a " + format.key() + " input is read as its files are. Remove it, or store the input as Delta.");
    }
    if (version.isPresent() && timestamp.isPresent()) {
      throw Errors.specConflict(entry.file(), "keys '" + entry.keyPath("version") + "' and '"
          + entry.keyPath("timestamp") + "' both pin the input; keep one of them.");
    }
    if (timestamp.isPresent()) {
      return Optional.of(new DeltaPin.AsOf(timestamp.get()));
    }
    try {
      long number = Long.parseLong(version.get());
      if (number >= 0) {
        return Optional.of(new DeltaPin.Version(number));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw Errors.badValue(entry.file(), entry.keyPath("version"), version.get(), "a Delta table version: 0, 1, 2, ...");
  }

  private static String resolve(StrictYaml entry, String key, Path folder) {
    String text = entry.requiredText(key);
    if (text.isEmpty()) {
      throw Errors.badValue(entry.file(), entry.keyPath(key), text, "a path or URI");
    }
    return resolvePath(text, folder);
  }

  /** URIs with a scheme ({@code s3a://}, {@code file:}) and absolute paths stay as they are. */
  static String resolvePath(String text, Path folder) {
    if (hasScheme(text) || Path.of(text).isAbsolute()) {
      return text;
    }
    return folder.resolve(text).normalize().toString();
  }

  private static boolean hasScheme(String text) {
    try {
      URI uri = new URI(text);
      return uri.getScheme() != null && uri.getScheme().length() > 1;
    } catch (Exception e) {
      return false;
    }
  }
}
