package dev.eligibility.jobs.errors;

import dev.eligibility.lineage.DriftCheck;

import java.util.Collection;

/** Builds every {@link EligibilityException}, so that messages keep one voice. */
public final class Errors {

  private Errors() {}

  // ---- spec and policy file ----

  public static EligibilityException specUnreadable(String file, String cause) {
    return spec("Cannot read " + file + ": " + cause + ".", null);
  }

  public static EligibilityException unknownKey(String file, String key, Collection<String> known) {
    return spec(
        file + ": key '" + key + "' is not known. Known keys here: " + String.join(", ", known)
            + ". Remove it or fix its spelling.",
        null);
  }

  public static EligibilityException missingKey(String file, String key) {
    return spec(file + ": required key '" + key + "' is missing.", null);
  }

  public static EligibilityException badValue(String file, String key, Object value, String expected) {
    return spec(file + ": key '" + key + "' has value '" + value + "'; expected " + expected + ".", null);
  }

  public static EligibilityException badOption(String option, String value, String expected) {
    return spec("Option " + option + " has value '" + value + "'; expected " + expected + ".", null);
  }

  public static EligibilityException specConflict(String file, String message) {
    return spec(file + ": " + message, null);
  }

  public static EligibilityException asOfInFuture(String file, Object asOf, Object now) {
    return spec(
        file + ": key 'as_of' is " + asOf + ", which lies in the future (now is " + now
            + "). A run can only judge the world up to now; omit as_of to use the run's start.",
        null);
  }

  // ---- runs ----

  public static EligibilityException alreadyCommitted(String runId, String manifest) {
    return new EligibilityException(
        ErrorKind.CONFLICT,
        "Run '" + runId + "' is already committed (" + manifest + "). Choose a new run_id, or pass"
            + " --replace to replace that run's outputs and manifest.",
        null);
  }

  public static EligibilityException outputRootBusy(String root, String runId, String holder) {
    return new EligibilityException(
        ErrorKind.BUSY,
        "Run '" + runId + "' stopped before writing: output root " + root + " is in use: " + holder
            + ". This run wrote nothing. Retry when that run has ended; if its driver died, end its"
            + " claim with: eligibility unlock --root " + root + " --run-id <that run's id>.",
        null);
  }

  public static EligibilityException claimLost(String runId, String root) {
    return new EligibilityException(ErrorKind.INFRASTRUCTURE,
        "Run '" + runId + "' lost its claim on the output root " + root + " (its lease lapsed while the driver was"
            + " stalled, or the root was unlocked); it stopped before publishing anything more and wrote no run"
            + " record. Retry the run.",
        null);
  }

  public static EligibilityException noSigningKey(String config, String sources) {
    return spec("No signing key: a run's manifest is signed with an Ed25519 key from " + sources + " (configured in "
        + config + "). Provide one, or pass --unsigned to write an unsigned manifest that says so.", null);
  }

  public static EligibilityException untrustedManifest(String file, String why) {
    return spec(file + ": the manifest cannot be trusted: " + why + ".", null);
  }

  public static EligibilityException claimBroken(String runId, String claims) {
    return new EligibilityException(ErrorKind.INFRASTRUCTURE,
        "Run '" + runId + "' stopped before writing: its eligible set breaks a negative claim (" + claims
            + "). This is a defect of the filter; nothing was written. Report it with the run spec.",
        null);
  }

  public static EligibilityException decidedRowsDifferFromInput(String runId, String input, String difference) {
    return new EligibilityException(ErrorKind.INFRASTRUCTURE,
        "Run '" + runId + "' stopped before writing: the rows it decided of corpus input '" + input
            + "' are not the rows it read (" + difference + "); every row must be decided exactly once, as read."
            + " This is a defect of the filter; nothing was written. Report it with the run spec.",
        null);
  }

  public static EligibilityException eligiblePassDiffers(String runId, String difference) {
    return new EligibilityException(ErrorKind.INFRASTRUCTURE,
        "Run '" + runId + "' stopped before committing: the pass that wrote its eligible rows saw other rows than"
            + " its decision (" + difference + "). No manifest was written, so the run is not committed and the next"
            + " run restores the output root. This is a defect of the filter or a changed input; report it with the"
            + " run spec.",
        null);
  }

  public static EligibilityException recordNotFound(String recordId) {
    return spec("No corpus row has record_id '" + recordId + "'.", null);
  }

  // ---- input tables ----

  public static EligibilityException inputUnreadable(String table, String path, String cause, Throwable e) {
    return input("Cannot read table " + table + " at " + path + ": " + cause, e);
  }

  public static EligibilityException policyChangedSinceRun(String runId, String source) {
    return spec("Run " + runId + " was decided under the policy file " + source + ", which has changed since (its"
        + " SHA-256 is not the recorded one); its rules cannot be applied again. Restore that file to check the run.", null);
  }

  public static EligibilityException pinUnavailable(String table, String path, String pin, String why) {
    return input("Table " + table + " at " + path + " has no " + pin + ": " + why
        + ". Pin a version the table still has (lineage resolve and the table's DESCRIBE HISTORY list them).", null);
  }

  public static EligibilityException missingColumn(String table, String column, String type) {
    return input(
        "Table " + table + " has no column '" + column + "' (expected type " + type
            + "). Add the column; the data contract requires it.",
        null);
  }

  public static EligibilityException wrongType(String table, String column, String expected, String actual) {
    return input(
        "Table " + table + ", column '" + column + "': expected type " + expected + ", found "
            + actual + ".",
        null);
  }

  public static EligibilityException unparseableValue(
      String table, String column, String expected, long rows, String idColumn, String exampleId) {
    return input(
        "Table " + table + ", column '" + column + "': " + rows + " value(s) cannot be read as "
            + expected + "; for example the row with " + idColumn + " = '" + exampleId + "'.",
        null);
  }

  public static EligibilityException malformedLines(String table, long lines, String file) {
    return input(
        "Table " + table + ": " + lines + " line(s) are not valid records of the format; the first"
            + " is in " + file + ".",
        null);
  }

  public static EligibilityException malformedLine(String table, long lines, String file, long line, String why) {
    return input(
        "Table " + table + ": " + lines + " line(s) are not valid records of the format; the first is line " + line
            + " of " + file + " (" + why + ").",
        null);
  }

  public static EligibilityException wrongJsonType(String table, String column, String expected, String found,
      long values, String idColumn, String exampleId, String file, long line) {
    return input(
        "Table " + table + ", column '" + column + "': " + values + " value(s) are " + found + " where the data"
            + " contract expects " + expected + "; the first is on line " + line + " of " + file
            + (exampleId == null ? "" : " (the row with " + idColumn + " = '" + exampleId + "')")
            + ". Write the value as " + expected + ".",
        null);
  }

  public static EligibilityException requiredValueMissing(
      String table, String column, long rows, String idColumn, String exampleId, String why) {
    return input(
        "Table " + table + ", column '" + column + "': " + rows + " row(s) have no value; for example"
            + " the row with " + idColumn + " = '" + exampleId + "'. " + why,
        null);
  }

  public static EligibilityException reservedColumn(String table, String column, String why) {
    return input("Table " + table + " has a column named '" + column + "', which " + why + ".", null);
  }

  public static EligibilityException incompatibleCorpusInputs(String first, String second, String cause) {
    return input(
        "Corpus inputs '" + first + "' and '" + second + "' cannot be combined: " + cause
            + ". Columns present in both must have the same type.",
        null);
  }

  public static EligibilityException driftPastLimits(String runId, DriftCheck check) {
    StringBuilder message = new StringBuilder("Run '" + runId + "' stopped before writing anything: its figures moved"
        + " past the drift limits of " + check.limits() + " against the runs " + check.historyRunIds() + ":");
    check.findings().forEach(finding -> message.append("\n  - ").append(finding.message()).append("; the limit is ")
        .append(finding.limit()));
    message.append("\nCheck the upstream tables first. If the change is real, run again with --accept-drift (or"
        + " accept_drift: true in the spec); the manifest records the accepted findings.");
    return new EligibilityException(ErrorKind.DRIFT, message.toString(), null, check);
  }

  // ---- infrastructure ----

  public static EligibilityException infrastructure(String what, Throwable cause) {
    return new EligibilityException(ErrorKind.INFRASTRUCTURE, what + ": " + safeCause(cause), cause);
  }

  /**
   * A cause fit for the console. I/O failures say what failed (a path, a permission); other
   * failures, whose messages may quote data values, are named by class only, with the full
   * trace left to the driver log.
   */
  private static String safeCause(Throwable cause) {
    Throwable root = cause;
    while (root != null && root.getCause() != null && root.getCause() != root) {
      if (root instanceof java.io.IOException) {
        break;
      }
      root = root.getCause();
    }
    if (root == null) {
      return "unknown cause";
    }
    if (root instanceof java.io.IOException && root.getMessage() != null) {
      return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    return root.getClass().getName() + " (details in the driver log)";
  }

  private static EligibilityException spec(String message, Throwable cause) {
    return new EligibilityException(ErrorKind.SPEC, message, cause);
  }

  private static EligibilityException input(String message, Throwable cause) {
    return new EligibilityException(ErrorKind.INPUT, message, cause);
  }
}
