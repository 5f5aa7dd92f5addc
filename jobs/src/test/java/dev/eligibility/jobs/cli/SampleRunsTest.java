package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.NegativeClaims;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.Sha256;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.UpstreamWarning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled sample runs end to end through the command line, with their expected outcomes. */
class SampleRunsTest {

  @TempDir
  static Path folder;

  static SampleWorkspace workspace;
  static SparkSession spark;

  @BeforeAll
  static void copySamples() {
    spark = TestSpark.session();
    workspace = SampleWorkspace.create(folder);
  }

  /** Every row of the base-model sample and the reason it must get (see the rows' content). */
  static final Map<String, String> BASE_MODEL_EXCLUSIONS = ordered(
      "chat-001", "OUT_OF_POLICY_SCOPE", "", "INVALID_RECORD", "bad-kind-001", "INVALID_RECORD",
      "lic-002", "LICENSE_NOT_VALID", "lic-003", "LICENSE_NOT_VALID",
      "api-003", "ORG_OPTED_OUT", "api-004", "NO_OPT_IN", "api-005", "OPT_IN_REVOKED",
      "api-006", "ZERO_DATA_RETENTION", "api-007", "ZERO_DATA_RETENTION", "api-008", "NON_RETAINED_ENDPOINT",
      "api-009", "FINE_TUNED_MODEL_IO", "api-010", "FINE_TUNED_MODEL_IO", "api-011", "NO_PROVENANCE",
      "api-013", "NO_OPT_IN", "api-014", "ORG_OPTED_OUT",
      "ftf-001", "FINE_TUNE_DATA_ISOLATED", "ftf-002", "FINE_TUNE_DATA_ISOLATED", "ftf-003", "FINE_TUNE_DATA_ISOLATED",
      "ftf-004", "FINE_TUNE_DATA_ISOLATED", "ftf-005", "FINE_TUNE_DATA_ISOLATED");

  @Test
  void baseModelSampleDecidesEveryRowAsDocumentedAndRefusesAReRunUnlessReplaced() throws Exception {
    Path spec = workspace.spec("base-model");
    Path root = workspace.outputRoot("base-model");

    Invocation first = cli("run", "--unsigned", "--spec", spec.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("[5/5] Committing run record", "Run sample-base-model committed",
        "excluded: ZERO_DATA_RETENTION", "eligible/    v0");
    RunRecord record = store(root).read("sample-base-model", java.util.List.of()).record();

    Map<String, Long> expectedByReason = new LinkedHashMap<>();
    for (String reason : List.of("INVALID_RECORD", "DUPLICATE_RECORD_ID", "OUT_OF_POLICY_SCOPE", "NOT_RUN_ORG_DATA",
        "FINE_TUNE_DATA_ISOLATED", "NO_PROVENANCE", "FINE_TUNED_MODEL_IO", "ZERO_DATA_RETENTION",
        "NON_RETAINED_ENDPOINT", "ORG_OPTED_OUT", "NO_OPT_IN", "OPT_IN_REVOKED", "FILE_DELETED", "LICENSE_NOT_VALID")) {
      expectedByReason.put(reason, 0L);
    }
    BASE_MODEL_EXCLUSIONS.values().forEach(r -> expectedByReason.merge(r, 1L, Long::sum));
    expectedByReason.merge("DUPLICATE_RECORD_ID", 2L, Long::sum);
    assertThat(record.counts().byReason()).containsExactlyEntriesOf(expectedByReason);
    assertThat(record.counts().eligible()).isEqualTo(7);
    assertThat(record.counts().candidates()).isEqualTo(30);
    assertThat(record.upstreamWarnings()).extracting(UpstreamWarning::code, UpstreamWarning::rowCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("RETAINED_DESPITE_NO_RETENTION", 3L),
            org.assertj.core.groups.Tuple.tuple("NOT_DELETED_AFTER_RETENTION", 2L),
            org.assertj.core.groups.Tuple.tuple("MALFORMED_CONSENT_EVENTS", 1L));
    assertThat(record.upstreamWarnings().get(2).organizations()).containsExactly("org-broken");

    // The exclusions table holds exactly the documented rows, compared with spark-testing-base.
    StructType idAndReason = new StructType().add("record_id", DataTypes.StringType).add("reason", DataTypes.StringType);
    List<Row> expectedRows = new java.util.ArrayList<>();
    BASE_MODEL_EXCLUSIONS.forEach((id, reason) -> expectedRows.add(RowFactory.create(id, reason)));
    expectedRows.add(RowFactory.create("dup-001", "DUPLICATE_RECORD_ID"));
    expectedRows.add(RowFactory.create("dup-001", "DUPLICATE_RECORD_ID"));
    Dataset<Row> exclusions = table(root, record, OutputLayout.EXCLUSIONS).select("record_id", "reason");
    TestSpark.assertSameRows(spark.createDataFrame(expectedRows, idAndReason),
        spark.createDataFrame(exclusions.collectAsList(), idAndReason));

    Dataset<Row> eligible = table(root, record, OutputLayout.ELIGIBLE);

    // The recorded digests and Merkle root are those of the tables at the recorded versions.
    OutputSnapshot eligibleSnapshot = record.outputs().get(0);
    assertThat(eligibleSnapshot.datasetDigest()).isEqualTo(RowDigests.digest(eligible, "record_id").hex());
    assertThat(record.outputs().get(1).datasetDigest())
        .isEqualTo(RowDigests.digest(table(root, record, OutputLayout.EXCLUSIONS), "record_id").hex());
    // Each leaf binds the record id and the digest of the row as written (the payload included).
    Map<String, byte[]> rowDigests = new java.util.TreeMap<>(MerkleTree::compareIds);
    eligible.select(col("record_id"), RowDigests.rowDigest(eligible, "record_id")).collectAsList()
        .forEach(row -> rowDigests.put(row.getString(0), (byte[]) row.get(1)));
    List<String> sortedIds = List.copyOf(rowDigests.keySet());
    List<byte[]> sortedDigests = List.copyOf(rowDigests.values());
    List<byte[]> leaves = sortedIds.stream().map(id -> MerkleTree.leafHash(id, rowDigests.get(id))).toList();
    assertThat(eligibleSnapshot.merkleRoot()).isEqualTo(Sha256.hex(MerkleTree.root(leaves)))
        .isNotEqualTo(Sha256.hex(MerkleTree.root(sortedIds.stream().map(MerkleTree::leafHash).toList())));
    assertThat(MembershipProof.prove(sortedIds, sortedDigests, "api-001")
        .failureAgainst(eligibleSnapshot.merkleRoot(), 7, true)).isNull();
    assertThat(record.negativeClaims()).isEqualTo(new NegativeClaims(0, 0, 0, 0, 0));
    assertOrganizationCounts(root, record, Map.of("org-alpha", 2L, "org-legacy", 1L));
    assertThat(eligible.select("record_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("web-001", "web-002", "rev-001", "lic-001", "api-001", "api-002", "api-012");
    assertThat(eligible.columns()).containsExactly("record_id", "source_kind", "source_ref", "content", "lang", "run_id");
    assertThat(eligible.filter(col("run_id").notEqual("sample-base-model")).count()).isZero();

    // No payload anywhere but the eligible table: not in the console, the run record, or exclusions.
    String manifest = Files.readString(root.resolve("manifests").resolve("sample-base-model.json"));
    for (String payload : SampleWorkspace.samplePayloads()) {
      assertThat(first.out()).doesNotContain(payload);
      assertThat(first.err()).doesNotContain(payload);
      assertThat(manifest).doesNotContain(payload);
    }
    Dataset<Row> excluded = table(root, record, OutputLayout.EXCLUSIONS);
    assertThat(excluded.columns()).containsExactly("run_id", "record_id", "source_kind", "source_ref", "reason",
        "reasons", "corpus_input", "organization_id", "project_id");
    // Each excluded row names whose data it is: the request's organization for API rows, none for web rows.
    assertThat(excluded.filter(col("record_id").equalTo("api-003")).select("organization_id").as(Encoders.STRING())
        .collectAsList()).containsExactly("org-gone");
    assertThat(excluded.filter(col("source_kind").equalTo("PUBLIC_WEB")).filter(col("organization_id").isNotNull())
        .count()).isZero();

    // The same run id again is refused, and changes nothing.
    List<String> before = SampleWorkspace.listing(root);
    Invocation again = cli("run", "--unsigned", "--spec", spec.toString());
    assertThat(again.exitCode()).isEqualTo(4);
    assertThat(again.err()).contains("Run 'sample-base-model' is already committed", "--replace");
    assertThat(SampleWorkspace.listing(root)).isEqualTo(before);

    // --replace re-runs it: new table versions, and the run's exclusion rows replaced, not duplicated.
    Invocation replaced = cli("run", "--unsigned", "--replace", "--spec", spec.toString());
    assertThat(replaced.exitCode()).as(replaced.err()).isZero();
    RunRecord second = store(root).read("sample-base-model", java.util.List.of()).record();
    assertThat(second.outputs()).extracting(OutputSnapshot::deltaVersion).containsExactly(1L, 1L);
    assertThat(second.counts()).isEqualTo(record.counts());
    // Same inputs, same as_of: the same outputs, digest for digest.
    assertThat(second.outputs()).extracting(OutputSnapshot::datasetDigest, OutputSnapshot::merkleRoot)
        .isEqualTo(record.outputs().stream().map(o -> org.assertj.core.groups.Tuple.tuple(o.datasetDigest(), o.merkleRoot())).toList());
    Dataset<Row> allExclusions = spark.read().format("delta").load(root.resolve("exclusions").toString());
    assertThat(allExclusions.filter(col("run_id").equalTo("sample-base-model")).count()).isEqualTo(23);
    assertThat(spark.read().format("delta").load(root.resolve("eligible").toString()).count()).isEqualTo(7);
  }

  /**
   * The run's eligible rows per organization are in the registry, and the manifest binds exactly
   * those rows by their count and digest.
   */
  private static void assertOrganizationCounts(Path root, RunRecord record, Map<String, Long> expected) {
    StructType schema = new StructType().add("organization_id", DataTypes.StringType).add("eligible_rows", DataTypes.LongType);
    Dataset<Row> registered = spark.read().format("delta").load(root.resolve("registry/run_organizations").toString())
        .filter(col("run_id").equalTo(record.run().runId()))
        .select("organization_id", "eligible_rows");
    List<Row> expectedRows = expected.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue())).toList();
    TestSpark.assertSameRows(spark.createDataFrame(expectedRows, schema),
        spark.createDataFrame(registered.collectAsList(), schema));
    RowDigests.TableDigest digest = RowDigests.digest(registered, "organization_id");
    assertThat(record.eligibleRowsByOrganization().organizations()).isEqualTo(expected.size());
    assertThat(record.eligibleRowsByOrganization().digest()).isEqualTo(digest.hex());
  }

  @Test
  void fineTuneSampleKeepsOnlyTheOrganizationsOwnUndeletedFiles() throws Exception {
    Path root = workspace.outputRoot("fine-tune");
    Invocation run = cli("run", "--unsigned", "--spec", workspace.spec("fine-tune").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    RunRecord record = store(root).read("sample-fine-tune-org-alpha", java.util.List.of()).record();
    assertThat(record.run().fineTuneOrgId()).isEqualTo("org-alpha");
    assertOrganizationCounts(root, record, Map.of("org-alpha", 2L));
    assertThat(record.negativeClaims().allHold()).isTrue();
    assertThat(table(root, record, OutputLayout.ELIGIBLE).select("record_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder("ftf-001", "ftf-005");
    Map<String, String> reasons = table(root, record, OutputLayout.EXCLUSIONS).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("record_id")), r -> r.getString(r.fieldIndex("reason"))));
    assertThat(reasons).containsEntry("ftf-002", "FILE_DELETED").containsEntry("ftf-003", "NOT_RUN_ORG_DATA")
        .containsEntry("ftf-004", "NO_PROVENANCE").containsEntry("web-001", "NOT_RUN_ORG_DATA")
        .containsEntry("chat-001", "OUT_OF_POLICY_SCOPE").containsEntry("", "INVALID_RECORD").hasSize(13);
  }

  @Test
  void explainPrintsTheTraceOfOneRecordWithoutItsContent() {
    Invocation explain = cli("explain", "--spec", workspace.spec("base-model").toString(), "--record", "api-013");
    assertThat(explain.exitCode()).as(explain.err()).isZero();
    assertThat(explain.out())
        .contains("11 NO_OPT_IN                APPLIES")
        .contains("request_id=req-013 org_id=org-alpha project_id=proj-secret")
        .contains("event_id=ev-006 org_id=org-alpha project_id=proj-secret decision=OPT_OUT")
        .contains("Consent state at submission (2025-03-01T10:00:00Z): organization OPT_IN, project OPT_OUT -> combined OPT_OUT")
        .contains("Decision: EXCLUDED, primary reason NO_OPT_IN")
        .doesNotContain("deny overrides");
    Invocation unknown = cli("explain", "--spec", workspace.spec("base-model").toString(), "--record", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("No corpus row has record_id 'nope'.");
  }

  @Test
  void anOutputRootThatCannotBeWrittenIsAnInfrastructureFailureAndCommitsNothing() throws Exception {
    Path blocked = folder.resolve("not-a-folder");
    Files.writeString(blocked, "a file where the output root should be");
    Invocation run = cli("run", "--unsigned", "--spec", workspace.spec("base-model", blocked, s -> s).toString());
    assertThat(run.exitCode()).isEqualTo(5);
    assertThat(run.err()).contains("error: The run failed: ", "Nothing was committed: no run record was written.");
    assertThat(Files.readString(blocked)).isEqualTo("a file where the output root should be");
  }

  @Test
  void helpDescribesEveryCommandAndTheExitCodes() {
    Invocation help = cli("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("run", "explain", "3   input error");
    assertThat(cli("run", "--help").out()).contains("--spec=FILE", "--replace");
    assertThat(cli("explain", "--help").out()).contains("--record=ID");
    Invocation noSpec = cli("run");
    assertThat(noSpec.exitCode()).isEqualTo(2);
    assertThat(noSpec.err()).contains("Missing required option: '--spec=FILE'");
  }

  private static RunRecordStore store(Path root) {
    return new RunRecordStore(new OutputLayout(root.toString()), spark.sparkContext().hadoopConfiguration());
  }

  /** A table as the record pins it: the version the run committed. */
  private static Dataset<Row> table(Path root, RunRecord record, String name) {
    OutputSnapshot snapshot = record.outputs().stream().filter(o -> o.table().equals(name)).findFirst().orElseThrow();
    return spark.read().format("delta").option("versionAsOf", snapshot.deltaVersion()).load(root.resolve(name).toString());
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
