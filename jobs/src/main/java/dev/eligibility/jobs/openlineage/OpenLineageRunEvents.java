package dev.eligibility.jobs.openlineage;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.publication.OutputColumns;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.run.BuildInfo;
import dev.eligibility.jobs.run.RunEvents;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.DriftCheck;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * START, COMPLETE and FAIL run events through an {@link OpenLineageClient}.
 *
 * <p>The job is {@code eligibility.<purpose>} (plus {@code .<organization>} for a fine-tune run) in
 * the configured namespace; the OpenLineage run id is a name-based UUID of the run id and its start
 * instant, so the events of one attempt share it and a re-run gets another. Inputs and outputs
 * carry their versions (Delta version; for other formats the dataset digest), outputs their row
 * counts. An event that cannot be sent is logged and never stops the run.
 */
public final class OpenLineageRunEvents implements RunEvents {

  private static final Logger LOG = LoggerFactory.getLogger(OpenLineageRunEvents.class);
  static final URI PRODUCER = URI.create("https://eligibility-filter.dev/jobs/" + BuildInfo.codeVersion());

  private final OpenLineageClient client;
  private final String namespace;
  private final Optional<Instant> nominalTime;
  private final Optional<OpenLineageSettings.ParentRun> parent;
  private final OpenLineage openLineage = new OpenLineage(PRODUCER);

  /**
   * Events of one run through {@code client} in job namespace {@code namespace}; {@code nominalTime}
   * is the time the run was scheduled for, {@code parent} the scheduler's run it belongs to.
   */
  public OpenLineageRunEvents(OpenLineageClient client, String namespace, Optional<Instant> nominalTime,
      Optional<OpenLineageSettings.ParentRun> parent) {
    this.client = client;
    this.namespace = namespace;
    this.nominalTime = nominalTime;
    this.parent = parent;
  }

  @Override
  public void started(RunSpec spec, RunContext context, Instant startedAt) {
    emit(event(OpenLineage.RunEvent.EventType.START, spec, startedAt, startedAt,
        standard(openLineage.newRunFacetsBuilder()).put(EligibilityRunFacet.KEY, facet(spec, context, null, null)).build(),
        inputs(spec), outputs(spec)));
  }

  @Override
  public void completed(RunSpec spec, RunRecord record, String manifestDigest) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (InputSnapshot input : record.inputs()) {
      DatasetNames names = DatasetNames.of(input.path());
      String version = input.deltaVersion() != null
          ? Long.toString(input.deltaVersion())
          : record.digestAlgorithm().subjectKey() + ":" + input.datasetDigest();
      OpenLineage.InputDatasetBuilder dataset = openLineage.newInputDatasetBuilder().namespace(names.namespace())
          .name(names.name())
          .facets(openLineage.newDatasetFacetsBuilder().version(openLineage.newDatasetVersionDatasetFacet(version))
              .schema(inputSchema(input.table())).build());
      if (input.table().equals("corpus")) {
        dataset.inputFacets(qualityOf(assertions(record.negativeClaims(), record.driftCheck())));
      }
      inputs.add(dataset.build());
    }
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (OutputSnapshot output : record.outputs()) {
      DatasetNames names = DatasetNames.of(output.path());
      outputs.add(openLineage.newOutputDatasetBuilder().namespace(names.namespace()).name(names.name())
          .facets(openLineage.newDatasetFacetsBuilder()
              .version(openLineage.newDatasetVersionDatasetFacet(Long.toString(output.deltaVersion())))
              .schema(outputSchema(output.table())).documentation(outputDocumentation(output.table())).build())
          .outputFacets(openLineage.newOutputDatasetOutputFacetsBuilder()
              .outputStatistics(openLineage.newOutputStatisticsOutputDatasetFacet(output.rowCount(), null, null)).build())
          .build());
    }
    EligibilityRunFacet facet = new EligibilityRunFacet(PRODUCER, record.run().runId(), record.policy().policyId(),
        record.policy().sha256(), record.counts().candidates(), record.counts().eligible(), record.counts().excluded(),
        record.counts().byReason(), manifestDigest, record.previousManifestDigest());
    emit(event(OpenLineage.RunEvent.EventType.COMPLETE, spec, record.run().startedAt(), record.run().endedAt(),
        standard(openLineage.newRunFacetsBuilder()).put(EligibilityRunFacet.KEY, facet)
            .processing_engine(openLineage.newProcessingEngineRunFacet(record.run().sparkVersion(), "spark",
                BuildInfo.codeVersion()))
            .build(),
        inputs, outputs));
  }

  @Override
  public void failed(RunSpec spec, RunContext context, Instant startedAt, Throwable error) {
    // Only this project's own messages, which never quote data; anything else by class name.
    String message = error instanceof EligibilityException ? error.getMessage() : error.getClass().getName();
    emit(event(OpenLineage.RunEvent.EventType.FAIL, spec, startedAt, Instant.now(),
        standard(openLineage.newRunFacetsBuilder())
            .put(EligibilityRunFacet.KEY, facet(spec, context, null, null))
            .errorMessage(openLineage.newErrorMessageRunFacet(message, "Java", null))
            .build(),
        inputs(spec, drift(error)), outputs(spec)));
  }

  /** The contract columns of an input table (a corpus input's own further columns are not known here). */
  private OpenLineage.SchemaDatasetFacet inputSchema(String table) {
    List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
    Contracts.ALL.stream().filter(contract -> contract.table().equals(table)).findFirst().ifPresent(contract ->
        contract.columns().forEach(column ->
            fields.add(openLineage.newSchemaDatasetFacetFields(column.name(), column.type().label(), null, null))));
    return openLineage.newSchemaDatasetFacet(fields);
  }

  private OpenLineage.SchemaDatasetFacet outputSchema(String table) {
    List<OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
    for (OutputColumns.Column column : table.equals(OutputLayout.ELIGIBLE) ? OutputColumns.eligible() : OutputColumns.exclusions()) {
      fields.add(openLineage.newSchemaDatasetFacetFields(column.name(), column.type(), column.description(), null));
    }
    return openLineage.newSchemaDatasetFacet(fields);
  }

  private OpenLineage.DocumentationDatasetFacet outputDocumentation(String table) {
    return openLineage.newDocumentationDatasetFacet(table.equals(OutputLayout.ELIGIBLE)
        ? OutputColumns.ELIGIBLE_DESCRIPTION : OutputColumns.EXCLUSIONS_DESCRIPTION);
  }

  /** The run facets every event carries when known: the scheduled time and the scheduler's run. */
  private OpenLineage.RunFacetsBuilder standard(OpenLineage.RunFacetsBuilder facets) {
    nominalTime.ifPresent(time -> facets.nominalTime(
        openLineage.newNominalTimeRunFacet(ZonedDateTime.ofInstant(time, ZoneOffset.UTC), null)));
    parent.ifPresent(run -> facets.parent(openLineage.newParentRunFacet(
        openLineage.newParentRunFacetRun(run.runId()),
        openLineage.newParentRunFacetJob(run.namespace(), run.job()))));
    return facets;
  }

  /** The drift check that stopped a run, if that is what stopped it. */
  private static Optional<DriftCheck> drift(Throwable error) {
    return error instanceof EligibilityException known ? known.drift() : Optional.empty();
  }

  /**
   * The run's tests of the corpus it filtered, as OpenLineage data-quality assertions: each
   * negative claim (its eligible rows of that kind are zero), and the drift gate (each figure past
   * its limit fails; a check without findings passes; none without history).
   */
  private List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions(NegativeClaims claims,
      DriftCheck drift) {
    List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions = new ArrayList<>();
    if (claims != null) {
      assertion(assertions, "no_zero_data_retention_rows_eligible", claims.zeroDataRetentionRows() == 0);
      assertion(assertions, "no_non_retained_endpoint_rows_eligible", claims.nonRetainedEndpointRows() == 0);
      assertion(assertions, "no_fine_tuned_model_io_rows_eligible", claims.fineTunedModelIoRows() == 0);
      assertion(assertions, "no_deleted_or_foreign_fine_tune_file_rows_eligible",
          claims.deletedOrForeignFineTuneFileRows() == 0);
      assertion(assertions, "no_post_cutoff_rows_without_opt_in_eligible", claims.postCutoffWithoutOptInRows() == 0);
    }
    if (drift.findings().isEmpty() && drift.outcome().equals(DriftCheck.PASSED)) {
      assertion(assertions, "drift_within_limits", true);
    }
    drift.findings().forEach(finding -> assertion(assertions, "drift_within_limits:" + finding.figure(), false));
    return assertions;
  }

  private void assertion(List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions, String name,
      boolean success) {
    assertions.add(openLineage.newDataQualityAssertionsDatasetFacetAssertions(name, success, null));
  }

  private OpenLineage.InputDatasetInputFacets qualityOf(
      List<OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions) {
    return openLineage.newInputDatasetInputFacetsBuilder()
        .dataQualityAssertions(openLineage.newDataQualityAssertionsDatasetFacet(assertions)).build();
  }

  private EligibilityRunFacet facet(RunSpec spec, RunContext context, String manifestDigest, String previous) {
    return new EligibilityRunFacet(PRODUCER, spec.runId(), context.policy().policyId(), context.policy().sha256(),
        null, null, null, null, manifestDigest, previous);
  }

  private OpenLineage.RunEvent event(OpenLineage.RunEvent.EventType type, RunSpec spec, Instant startedAt,
      Instant eventTime, OpenLineage.RunFacets facets, List<OpenLineage.InputDataset> inputs,
      List<OpenLineage.OutputDataset> outputs) {
    return openLineage.newRunEventBuilder()
        .eventType(type)
        .eventTime(ZonedDateTime.ofInstant(eventTime, ZoneOffset.UTC))
        .run(openLineage.newRunBuilder().runId(runUuid(spec.runId(), startedAt)).facets(facets).build())
        .job(openLineage.newJobBuilder().namespace(namespace).name(jobName(spec))
            .facets(openLineage.newJobFacetsBuilder()
                .jobType(openLineage.newJobTypeJobFacet("BATCH", "SPARK", "JOB")).build())
            .build())
        .inputs(inputs)
        .outputs(outputs)
        .build();
  }

  private List<OpenLineage.InputDataset> inputs(RunSpec spec) {
    return inputs(spec, Optional.empty());
  }

  /** The spec's inputs; with {@code drift}, the corpus inputs carry its failed assertions. */
  private List<OpenLineage.InputDataset> inputs(RunSpec spec, Optional<DriftCheck> drift) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    for (TableInput corpus : spec.corpus()) {
      DatasetNames n = DatasetNames.of(corpus.path());
      OpenLineage.InputDatasetBuilder dataset = openLineage.newInputDatasetBuilder().namespace(n.namespace()).name(n.name());
      drift.ifPresent(check -> dataset.inputFacets(qualityOf(assertions(null, check))));
      inputs.add(dataset.build());
    }
    Stream.concat(Stream.of(spec.apiRequests(), spec.consentEvents(), spec.fineTuneFiles(), spec.fineTunedModels()),
            Stream.concat(spec.zdrAgreements().stream(), spec.licenses().stream()))
        .map(TableInput::path).map(DatasetNames::of)
        .map(n -> openLineage.newInputDatasetBuilder().namespace(n.namespace()).name(n.name()).build())
        .forEach(inputs::add);
    return inputs;
  }

  private List<OpenLineage.OutputDataset> outputs(RunSpec spec) {
    String root = spec.outputRoot().endsWith("/") ? spec.outputRoot() : spec.outputRoot() + "/";
    return Stream.of("eligible", "exclusions").map(table -> DatasetNames.of(root + table))
        .map(n -> openLineage.newOutputDatasetBuilder().namespace(n.namespace()).name(n.name()).build())
        .toList();
  }

  /** The job a run belongs to: {@code eligibility.base_model}, {@code eligibility.fine_tune.<org>}. */
  static String jobName(RunSpec spec) {
    return "eligibility." + spec.purpose().name().toLowerCase(Locale.ROOT)
        + spec.fineTuneOrgId().map(org -> "." + org).orElse("");
  }

  /** The OpenLineage run id of one attempt: a name-based UUID of the run id and its start. */
  static UUID runUuid(String runId, Instant startedAt) {
    return UUID.nameUUIDFromBytes(("eligibility-run:" + runId + "@" + startedAt).getBytes(StandardCharsets.UTF_8));
  }

  private void emit(OpenLineage.RunEvent event) {
    try {
      client.emit(event);
    } catch (RuntimeException e) {
      LOG.warn("OpenLineage {} event of job {} was not sent: {}", event.getEventType(), event.getJob().getName(),
          e.getClass().getSimpleName());
    }
  }
}
