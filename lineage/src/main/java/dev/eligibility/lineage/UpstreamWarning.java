package dev.eligibility.lineage;

import java.util.List;
import java.util.Objects;

/**
 * A sign that an upstream system broke a promise. Reported, never a reason by itself.
 *
 * @param code stable identifier of the warning
 * @param description what it means, in one sentence
 * @param rowCount candidate rows (or reference rows, as the description says) concerned
 * @param organizations the organizations concerned, in order, where the warning names them: the
 *     first {@link #MAX_ORGANIZATIONS} by id (the row count covers all)
 */
public record UpstreamWarning(String code, String description, long rowCount, List<String> organizations) {

  /** At most this many organizations are named in a warning. */
  public static final int MAX_ORGANIZATIONS = 100;

  public UpstreamWarning {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(description, "description");
    organizations = List.copyOf(organizations);
  }
}
