package dev.eligibility.jobs.decision;

import dev.eligibility.jobs.input.BoundTable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * All bound inputs of one run.
 *
 * @param corpus the corpus inputs, in spec order
 * @param apiRequests API request provenance
 * @param consentEvents consent events
 * @param fineTuneFiles training files
 * @param fineTunedModels fine-tuned models
 * @param zdrAgreements ZDR agreements, when given
 * @param licenses licences, when given
 */
public record InputTables(
    List<BoundTable> corpus,
    BoundTable apiRequests,
    BoundTable consentEvents,
    BoundTable fineTuneFiles,
    BoundTable fineTunedModels,
    Optional<BoundTable> zdrAgreements,
    Optional<BoundTable> licenses) {

  public InputTables {
    corpus = List.copyOf(corpus);
    Objects.requireNonNull(apiRequests, "apiRequests");
    Objects.requireNonNull(consentEvents, "consentEvents");
    Objects.requireNonNull(fineTuneFiles, "fineTuneFiles");
    Objects.requireNonNull(fineTunedModels, "fineTunedModels");
  }

  /** The same inputs with {@code other} as the corpus. */
  public InputTables withCorpus(List<BoundTable> other) {
    return new InputTables(other, apiRequests, consentEvents, fineTuneFiles, fineTunedModels, zdrAgreements, licenses);
  }

  /** Every input, corpus first, in spec order. */
  public List<BoundTable> all() {
    return Stream.of(
            corpus.stream(),
            Stream.of(apiRequests, consentEvents, fineTuneFiles, fineTunedModels),
            zdrAgreements.stream(),
            licenses.stream())
        .flatMap(s -> s)
        .toList();
  }
}
