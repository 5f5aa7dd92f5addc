package dev.eligibility.lineage;

import java.util.Objects;

/**
 * What a run records of its eligible rows per organization: how many organizations have eligible
 * rows and the dataset digest of the rows {@code (organization_id, eligible_rows)}, one per
 * organization, keyed by {@code organization_id}. The counts themselves are a table of their own
 * ({@code registry/run_organizations}), written by a distributed aggregation; the signed manifest
 * binds them by this digest, so a reader checks any count it reads against the manifest.
 *
 * @param organizations organizations with at least one eligible row
 * @param digest hex dataset digest of the per-organization rows
 */
public record OrganizationCounts(long organizations, String digest) {

  public OrganizationCounts {
    Objects.requireNonNull(digest, "digest");
  }
}
