package dev.eligibility.jobs.spec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated run spec. Paths are already resolved against the spec file's folder.
 *
 * @param source where the spec was read from
 * @param runId the run's id ({@code [A-Za-z0-9._-]{1,128}})
 * @param purpose what the dataset trains
 * @param fineTuneOrgId the organization of a {@code FINE_TUNE} run; empty for {@code BASE_MODEL}
 * @param asOf the instant to judge at; empty means the run's start
 * @param corpus the corpus inputs, at least one, names unique
 * @param apiRequests provenance of API and Playground traffic
 * @param consentEvents organizations' opt-in and opt-out records
 * @param fineTuneFiles training files and their owners
 * @param fineTunedModels fine-tuned models
 * @param zdrAgreements zero-data-retention agreements; empty means none
 * @param licenses licences for {@code LICENSED} rows; empty means none
 * @param outputRoot where the run writes its tables and manifest
 * @param catalogTables the catalog names the output tables are registered under, if any
 * @param policyFile the policy file; empty means the bundled v1 policy
 * @param acceptDrift whether the run commits even when its figures move past the drift limits
 *     (the findings are recorded in its manifest)
 */
public record RunSpec(
    String source,
    String runId,
    Purpose purpose,
    Optional<String> fineTuneOrgId,
    Optional<Instant> asOf,
    List<TableInput> corpus,
    TableInput apiRequests,
    TableInput consentEvents,
    TableInput fineTuneFiles,
    TableInput fineTunedModels,
    Optional<TableInput> zdrAgreements,
    Optional<TableInput> licenses,
    String outputRoot,
    CatalogTables catalogTables,
    Optional<String> policyFile,
    boolean acceptDrift) {

  public RunSpec {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(outputRoot, "outputRoot");
    Objects.requireNonNull(catalogTables, "catalogTables");
    corpus = List.copyOf(corpus);
  }

  /**
   * This spec as the run {@code runId} judged at {@code asOf}, every Delta input the spec does not
   * pin itself read at its version current at {@code asOf} (see {@link ScheduledNight}).
   */
  public RunSpec scheduled(String runId, Instant asOf) {
    DeltaPin night = new DeltaPin.AsOf(asOf);
    return new RunSpec(source, runId, purpose, fineTuneOrgId, Optional.of(asOf),
        corpus.stream().map(input -> input.pinnedUnlessPinned(night)).toList(),
        apiRequests.pinnedUnlessPinned(night), consentEvents.pinnedUnlessPinned(night),
        fineTuneFiles.pinnedUnlessPinned(night), fineTunedModels.pinnedUnlessPinned(night),
        zdrAgreements.map(input -> input.pinnedUnlessPinned(night)),
        licenses.map(input -> input.pinnedUnlessPinned(night)), outputRoot, catalogTables, policyFile,
        acceptDrift);
  }

  /** This spec with drift accepted ({@code --accept-drift}). */
  public RunSpec acceptingDrift() {
    return new RunSpec(source, runId, purpose, fineTuneOrgId, asOf, corpus, apiRequests, consentEvents, fineTuneFiles,
        fineTunedModels, zdrAgreements, licenses, outputRoot, catalogTables, policyFile, true);
  }
}
