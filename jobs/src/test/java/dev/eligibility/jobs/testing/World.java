package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A small DSL for test inputs: immutable rows of every contract table, with defaults for what a
 * test does not care about, and a conversion to the engine's {@link InputTables}. The same
 * values feed the plain reference evaluator, so both judge exactly the same world.
 */
public record World(
    List<Candidate> corpus,
    List<Request> requests,
    List<Consent> consent,
    List<TrainingFile> files,
    List<Model> models,
    Optional<List<Zdr>> zdr,
    Optional<List<License>> licenses) {

  public World {
    corpus = List.copyOf(corpus);
    requests = List.copyOf(requests);
    consent = List.copyOf(consent);
    files = List.copyOf(files);
    models = List.copyOf(models);
    zdr = zdr.map(List::copyOf);
    licenses = licenses.map(List::copyOf);
  }

  public static World empty() {
    return new World(List.of(), List.of(), List.of(), List.of(), List.of(), Optional.of(List.of()), Optional.of(List.of()));
  }

  public World with(Candidate... rows) {
    return new World(concat(corpus, rows), requests, consent, files, models, zdr, licenses);
  }

  public World with(Request... rows) {
    return new World(corpus, concat(requests, rows), consent, files, models, zdr, licenses);
  }

  public World with(Consent... rows) {
    return new World(corpus, requests, concat(consent, rows), files, models, zdr, licenses);
  }

  public World with(TrainingFile... rows) {
    return new World(corpus, requests, consent, concat(files, rows), models, zdr, licenses);
  }

  public World with(Model... rows) {
    return new World(corpus, requests, consent, files, concat(models, rows), zdr, licenses);
  }

  public World with(Zdr... rows) {
    return new World(corpus, requests, consent, files, models, Optional.of(concat(zdr.orElse(List.of()), rows)), licenses);
  }

  public World with(License... rows) {
    return new World(corpus, requests, consent, files, models, zdr, Optional.of(concat(licenses.orElse(List.of()), rows)));
  }

  /** The same world without corpus rows whose record id is null or empty. */
  public World withoutNullIds() {
    return new World(corpus.stream().filter(c -> c.recordId() != null && !c.recordId().isEmpty()).toList(),
        requests, consent, files, models, zdr, licenses);
  }

  public World withoutOptionalTables() {
    return new World(corpus, requests, consent, files, models, Optional.empty(), Optional.empty());
  }

  /** The world as bound inputs; corpus rows are grouped into inputs by their input name. */
  public InputTables inputs(SparkSession spark) {
    List<String> inputNames = corpus.stream().map(Candidate::input).distinct().toList();
    List<BoundTable> corpusTables = new ArrayList<>();
    for (String name : inputNames.isEmpty() ? List.of("corpus") : inputNames) {
      List<Candidate> rows = corpus.stream().filter(c -> c.input().equals(name)).toList();
      corpusTables.add(table(spark, name, Contracts.CORPUS, CORPUS_SCHEMA, rows, Candidate::toRow));
    }
    return new InputTables(
        corpusTables,
        table(spark, "api_requests", Contracts.API_REQUESTS, schema(Contracts.API_REQUESTS), requests, Request::toRow),
        table(spark, "consent_events", Contracts.CONSENT_EVENTS, schema(Contracts.CONSENT_EVENTS), consent, Consent::toRow),
        table(spark, "fine_tune_files", Contracts.FINE_TUNE_FILES, schema(Contracts.FINE_TUNE_FILES), files, TrainingFile::toRow),
        table(spark, "fine_tuned_models", Contracts.FINE_TUNED_MODELS, schema(Contracts.FINE_TUNED_MODELS), models, Model::toRow),
        zdr.map(rows -> table(spark, "zdr_agreements", Contracts.ZDR_AGREEMENTS, schema(Contracts.ZDR_AGREEMENTS), rows, Zdr::toRow)),
        licenses.map(rows -> table(spark, "licenses", Contracts.LICENSES, schema(Contracts.LICENSES), rows, License::toRow)));
  }

  /** Corpus schema: the contract's columns plus {@code row_no}, an extra column that tells copies apart. */
  public static final StructType CORPUS_SCHEMA = schema(Contracts.CORPUS).add("row_no", DataTypes.IntegerType);

  private static StructType schema(TableContract contract) {
    List<StructField> fields = contract.columns().stream()
        .map(c -> DataTypes.createStructField(c.name(), c.type().sparkType(), true))
        .toList();
    return DataTypes.createStructType(fields);
  }

  private static <T> BoundTable table(
      SparkSession spark, String name, TableContract contract, StructType schema, List<T> rows, Function<T, Row> toRow) {
    Dataset<Row> frame = spark.createDataFrame(rows.stream().map(toRow).toList(), schema);
    return new BoundTable(new TableInput(name, "memory:" + name, TableFormat.PARQUET), contract, frame,
        Optional.empty(), List.of(), rows.size(), Optional.empty());
  }

  @SafeVarargs
  private static <T> List<T> concat(List<T> list, T... more) {
    List<T> all = new ArrayList<>(list);
    all.addAll(Arrays.asList(more));
    return all;
  }

  static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  /** A corpus row. {@code rowNo} tells copies of one record id apart. */
  public record Candidate(String input, String recordId, String sourceKind, String sourceRef, int rowNo) {
    public static Candidate of(String recordId, String sourceKind, String sourceRef) {
      return new Candidate("corpus", recordId, sourceKind, sourceRef, Math.abs((recordId + sourceRef).hashCode() % 100000));
    }

    public Candidate in(String inputName) {
      return new Candidate(inputName, recordId, sourceKind, sourceRef, rowNo);
    }

    public Candidate number(int no) {
      return new Candidate(input, recordId, sourceKind, sourceRef, no);
    }

    public Row toRow() {
      return RowFactory.create(recordId, sourceKind, sourceRef, "payload of " + recordId, rowNo);
    }
  }

  /** An {@code api_requests} row; defaults: channel API, endpoint /v1/chat/completions, zdr false. */
  public record Request(String requestId, String orgId, String projectId, String channel, String endpoint,
      String modelId, Instant submittedAt, Boolean zdr) {
    public static Request of(String requestId, String orgId, Instant submittedAt) {
      return new Request(requestId, orgId, null, "API", "/v1/chat/completions", "gpt-x", submittedAt, false);
    }

    public Request project(String project) {
      return new Request(requestId, orgId, project, channel, endpoint, modelId, submittedAt, zdr);
    }

    public Request channel(String value) {
      return new Request(requestId, orgId, projectId, value, endpoint, modelId, submittedAt, zdr);
    }

    public Request endpoint(String value) {
      return new Request(requestId, orgId, projectId, channel, value, modelId, submittedAt, zdr);
    }

    public Request model(String value) {
      return new Request(requestId, orgId, projectId, channel, endpoint, value, submittedAt, zdr);
    }

    public Request zdr(Boolean value) {
      return new Request(requestId, orgId, projectId, channel, endpoint, modelId, submittedAt, value);
    }

    public Request org(String value) {
      return new Request(requestId, value, projectId, channel, endpoint, modelId, submittedAt, zdr);
    }

    public Row toRow() {
      return RowFactory.create(requestId, orgId, projectId, channel, endpoint, modelId, ts(submittedAt), zdr);
    }
  }

  /** A {@code consent_events} row; {@code projectId} null means the whole organization. */
  public record Consent(String eventId, String orgId, String projectId, String decision, Instant effectiveAt,
      Instant recordedAt) {
    public static Consent of(String orgId, String decision, Instant effectiveAt, Instant recordedAt) {
      return new Consent("ev-" + orgId + "-" + decision + "-" + effectiveAt, orgId, null, decision, effectiveAt, recordedAt);
    }

    public Consent project(String project) {
      return new Consent(eventId, orgId, project, decision, effectiveAt, recordedAt);
    }

    public Row toRow() {
      return RowFactory.create(eventId, orgId, projectId, decision, ts(effectiveAt), ts(recordedAt));
    }
  }

  /** A {@code fine_tune_files} row. */
  public record TrainingFile(String fileId, String orgId, Instant uploadedAt, Instant deletedAt) {
    public Row toRow() {
      return RowFactory.create(fileId, orgId, ts(uploadedAt), ts(deletedAt));
    }
  }

  /** A {@code fine_tuned_models} row. */
  public record Model(String modelId, String orgId, Instant createdAt, Instant deletedAt) {
    public Row toRow() {
      return RowFactory.create(modelId, orgId, ts(createdAt), ts(deletedAt));
    }
  }

  /** A {@code zdr_agreements} row. */
  public record Zdr(String orgId, String endpoint, Instant effectiveFrom, Instant effectiveTo) {
    public Row toRow() {
      return RowFactory.create(orgId, endpoint, ts(effectiveFrom), ts(effectiveTo));
    }
  }

  /** A {@code licenses} row. */
  public record License(String licenseId, Boolean permitsTraining, Instant validFrom, Instant validTo) {
    public Row toRow() {
      return RowFactory.create(licenseId, permitsTraining, ts(validFrom), ts(validTo));
    }
  }
}
