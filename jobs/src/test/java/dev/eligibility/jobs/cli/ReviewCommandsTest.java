package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eligibility.jobs.publication.OutputColumns;
import dev.eligibility.jobs.testing.DebianPackages;
import dev.eligibility.jobs.testing.HeadlessChromium;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.OrganizationReceipt;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reviewer runs, on three committed nights of the samples under one root: night-1, then
 * org-alpha opts out (effective 2026-11-10) before night-2, and night-3 a day later. The history,
 * the report (in a real browser), the diff of two nights, an organization's receipt, a dry run, a
 * policy trial, and last the drift gate of a fourth night whose API corpus came empty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewCommandsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path folder;

  static SampleWorkspace workspace;
  static Path root;

  @BeforeAll
  static void threeNights() throws IOException {
    TestSpark.session();
    workspace = SampleWorkspace.create(folder.resolve("samples"));
    root = folder.resolve("out");
    commit("night-1", "2026-11-01T00:00:00Z");
    Files.writeString(workspace.file("reference/consent_events.jsonl"),
        "{\"event_id\": \"ev-revoke\", \"org_id\": \"org-alpha\", \"project_id\": null, \"decision\": \"OPT_OUT\","
            + " \"effective_at\": \"2026-11-10T00:00:00Z\", \"recorded_at\": \"2026-11-10T00:00:00Z\"}\n",
        StandardOpenOption.APPEND);
    commit("night-2", "2026-11-12T00:00:00Z");
    commit("night-3", "2026-11-16T00:00:00Z");
  }

  static Invocation run(String runId, String asOf, String... options) {
    Path spec = workspace.spec("base-model", root, s -> s.replace("run_id: sample-base-model", "run_id: " + runId)
        .replace("as_of: 2026-11-01T00:00:00Z", "as_of: " + asOf));
    String[] args = Stream.concat(Stream.of("run", "--unsigned", "--spec", spec.toString()), Stream.of(options))
        .toArray(String[]::new);
    return cli(args);
  }

  static void commit(String runId, String asOf) {
    Invocation run = run(runId, asOf);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  static Path manifest(String runId) {
    return root.resolve("manifests").resolve(runId + ".json");
  }

  static RunRecord record(String runId) throws Exception {
    return RunManifest.open(Files.readAllBytes(manifest(runId)), List.of()).record();
  }

  @Test
  void historyListsTheCommittedRunsNewestFirstWithTheirFigures() throws Exception {
    Invocation history = lineage("history", "--root", root.toString(), "--format", "json");
    assertThat(history.exitCode()).as(history.err()).isZero();
    JsonNode runs = JSON.readTree(history.out());
    assertThat(runs.size()).isEqualTo(3);
    assertThat(List.of(runs.get(0).get("run_id").asText(), runs.get(1).get("run_id").asText(),
        runs.get(2).get("run_id").asText())).containsExactly("night-3", "night-2", "night-1");
    RunRecord second = record("night-2");
    JsonNode night2 = runs.get(1);
    assertThat(night2.get("eligible").asLong()).isEqualTo(second.counts().eligible());
    assertThat(night2.get("eligible_share").asDouble())
        .isEqualTo((double) second.counts().eligible() / second.counts().candidates());
    assertThat(night2.get("excluded_by_reason").get("OPT_IN_REVOKED").asLong())
        .isEqualTo(second.counts().byReason().get("OPT_IN_REVOKED")).isEqualTo(record("night-1").counts().byReason()
            .get("OPT_IN_REVOKED") + 2);
    assertThat(night2.get("rows_by_input").get("corpus 'api'").asLong()).isEqualTo(15);
    assertThat(night2.get("previous_manifest_digest").asText()).isEqualTo(runs.get(2).get("manifest_digest").asText());
    assertThat(night2.get("signature").asText()).isEqualTo("UNSIGNED");

    Invocation text = lineage("history", "--root", root.toString());
    assertThat(text.out()).containsPattern("night-3 +2026-11-16T00:00:00Z").contains("3 committed runs under");
  }

  @Test
  void theOutputTablesExplainThemselvesAndEveryCommitNamesItsRun() {
    var spark = TestSpark.session();
    for (String table : List.of("eligible", "exclusions")) {
      String path = root.resolve(table).toString();
      List<org.apache.spark.sql.Row> described = spark.sql("DESCRIBE TABLE delta.`" + path + "`")
          .filter(col("col_name").equalTo("record_id")).collectAsList();
      assertThat(described.get(0).getString(2)).as(table + ".record_id's comment")
          .isEqualTo("id of the candidate row, unique across all corpus inputs of a run");
      List<String> metadata = spark.sql("DESCRIBE HISTORY delta.`" + path + "`")
          .select("userMetadata").as(Encoders.STRING()).collectAsList();
      assertThat(metadata).as(table + " commits, the first (which creates the table) included")
          .hasSizeGreaterThanOrEqualTo(3)
          .allMatch(json -> json != null && json.contains("\"eligibility_run_id\":\"night-"))
          .anyMatch(json -> json.contains("night-2"));
      String description = spark.sql("DESCRIBE DETAIL delta.`" + path + "`").select("description")
          .as(Encoders.STRING()).head();
      assertThat(description).as(table + "'s description")
          .isEqualTo(table.equals("eligible") ? OutputColumns.ELIGIBLE_DESCRIPTION : OutputColumns.EXCLUSIONS_DESCRIPTION);
    }
  }

  @Test
  void showPrintsTheWholeRecordAsJson() throws Exception {
    Invocation show = lineage("show", "--manifest", manifest("night-1").toString(), "--format", "json");
    assertThat(show.exitCode()).as(show.err()).isZero();
    JsonNode shown = JSON.readTree(show.out());
    assertThat(shown.get("signed").asBoolean()).isFalse();
    assertThat(shown.get("record").get("run").get("run_id").asText()).isEqualTo("night-1");
    assertThat(shown.get("record").get("counts").get("eligible").asLong()).isEqualTo(7);
    assertThat(shown.get("manifest_digest").asText()).hasSize(64);
  }

  @Test
  void theReportLoadsInABrowserWithoutConsoleErrorsAndShowsTheRunsFigures() throws Exception {
    Path out = folder.resolve("report");
    Invocation report = lineage("report", "--manifest", manifest("night-2").toString(), "--root", root.toString(),
        "--out", out.toString(), "--verify");
    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    Path page = out.resolve("night-2.html");
    assertThat(report.out()).contains("Report of run night-2 written to " + page);
    String html = Files.readString(page);
    for (String payload : SampleWorkspace.samplePayloads()) {
      assertThat(html).as("no row content in the report").doesNotContain(payload);
    }

    HeadlessChromium browser = HeadlessChromium.installed(folder.resolve("chromium"));
    Path screenshot = Path.of("target", "report-screenshots", "night-2-phone.png");
    HeadlessChromium.Page phone = browser.load(page, 412, 3200, screenshot);
    assertThat(phone.consoleLines()).as("the browser's console").isEmpty();
    RunRecord second = record("night-2");
    assertThat(phone.dom())
        .contains("<span id=\"run-id\">night-2</span>")
        .contains("id=\"card-eligible\">" + second.counts().eligible() + "<")
        .contains("excluded: OPT_IN_REVOKED</td><td class=\"n\">" + second.counts().byReason().get("OPT_IN_REVOKED") + "</td>")
        .contains("<td>org-alpha</td><td class=\"n\">0</td><td class=\"n\">")
        .contains("VERIFIED: every claim holds against the pinned data")
        .contains("<a href=\"#run-" + second.previousManifestDigest() + "\">run night-1</a>")
        .contains("History of the output root").contains("3 committed runs");
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    assertThat(Files.readAllBytes(screenshot)).startsWith(0x89, 'P', 'N', 'G');
    browser.load(page, 1280, 2400, Path.of("target", "report-screenshots", "night-2-desktop.png"));
  }

  @Test
  void theBrowserCheckSeesAPageThatBreaksItsPolicy() throws Exception {
    // The check above can fail: a page that asks for a remote image is refused and says so.
    Path page = Files.writeString(folder.resolve("broken.html"), "<!DOCTYPE html><html><head><meta"
        + " http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body>"
        + "<img src=\"https://example.invalid/x.png\"></body></html>");
    HeadlessChromium.Page loaded = HeadlessChromium.installed(folder.resolve("chromium"))
        .load(page, 400, 300, folder.resolve("broken.png"));
    assertThat(loaded.consoleLines()).isNotEmpty();
  }

  @Test
  void diffShowsTheRowsThatLeftTheEligibleSetWhenOrgAlphaOptedOut() throws Exception {
    Invocation diff = lineage("diff", "--manifest", manifest("night-1").toString(), "--manifest",
        manifest("night-2").toString(), "--ids");
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out())
        .contains("From run night-1 (as_of 2026-11-01T00:00:00Z) to run night-2 (as_of 2026-11-12T00:00:00Z):")
        .contains("0 rows entered the eligible set, 2 left it; 2 rows changed outcome in all.")
        .containsPattern("ELIGIBLE +-> OPT_IN_REVOKED +2\n")
        .containsPattern("org-alpha +0 +2\n")
        .containsPattern("api +api-001 +API +ELIGIBLE +-> OPT_IN_REVOKED +org-alpha\n")
        .containsPattern("api +api-012 +API +ELIGIBLE +-> OPT_IN_REVOKED +org-alpha\n");

    // The counts agree with the two eligible sets themselves, and hold for any pair of nights.
    for (String[] pair : List.of(new String[] {"night-1", "night-2"}, new String[] {"night-2", "night-3"},
        new String[] {"night-3", "night-1"})) {
      Invocation json = lineage("diff", "--manifest", manifest(pair[0]).toString(), "--manifest",
          manifest(pair[1]).toString(), "--format", "json");
      assertThat(json.exitCode()).as(json.err()).isZero();
      JsonNode summary = JSON.readTree(json.out()).get("summary");
      Set<String> before = eligibleIds(pair[0]);
      Set<String> after = eligibleIds(pair[1]);
      assertThat(summary.get("entered").asLong()).as(String.join(" -> ", pair)).isEqualTo(minus(after, before).size());
      assertThat(summary.get("left").asLong()).as(String.join(" -> ", pair)).isEqualTo(minus(before, after).size());
    }
  }

  @Test
  void aReceiptTellsOrgAlphaWhatEachNightDidWithItsDataAndItsProofsCheck() throws Exception {
    Path receipt = folder.resolve("receipt-alpha-night-2.json");
    Path records = Files.writeString(folder.resolve("alpha-records.txt"), "api-012\nnot-a-record\n");
    Invocation made = lineage("receipt", "--manifest", manifest("night-2").toString(), "--org", "org-alpha",
        "--record", "api-001", "--records", records.toString(), "--out", receipt.toString(), "--unsigned");
    assertThat(made.exitCode()).as(made.out() + made.err()).isZero();
    OrganizationReceipt read = OrganizationReceipt.open(Files.readAllBytes(receipt), List.of()).receipt();
    assertThat(read.runId()).isEqualTo("night-2");
    assertThat(read.eligibleRows()).isZero();
    // org-alpha's rows of the night's exclusions, counted by a filter on the table itself.
    var alphaExcluded = TestSpark.session().read().format("delta").load(root.resolve("exclusions").toString())
        .filter(col("run_id").equalTo("night-2")).filter(col("organization_id").equalTo("org-alpha"));
    assertThat(read.excludedRows()).isEqualTo(alphaExcluded.count()).isPositive();
    assertThat(read.excludedByReason().get("OPT_IN_REVOKED"))
        .isEqualTo(alphaExcluded.filter(col("reason").equalTo("OPT_IN_REVOKED")).count()).isGreaterThanOrEqualTo(2);
    assertThat(read.consent().organization()).isEqualTo("OPT_OUT");
    assertThat(read.consent().projects()).containsEntry("proj-secret", "OPT_OUT");
    assertThat(read.proofs()).extracting(p -> p.recordId() + "=" + p.included())
        .containsExactly("api-001=false", "api-012=false", "not-a-record=false");
    assertThat(made.out()).contains("Receipt of organization org-alpha for run night-2", "UNSIGNED");

    Invocation check = lineage("check-proof", "--proof", receipt.toString(), "--manifest", manifest("night-2").toString());
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).contains("Receipt of organization org-alpha for run night-2: UNSIGNED")
        .contains("VALID: record 'api-001' is NOT IN the eligible set");
    // Against another night's manifest the receipt is refused: it speaks of night-2 only.
    Invocation elsewhere = lineage("check-proof", "--proof", receipt.toString(), "--manifest",
        manifest("night-1").toString());
    assertThat(elsewhere.exitCode()).isEqualTo(1);
    assertThat(elsewhere.out()).contains("INVALID: the receipt is about the manifest");

    // Another organization of the same night: org-private opted in, its one row kept out by its ZDR agreement.
    Invocation privateOrg = lineage("receipt", "--manifest", manifest("night-2").toString(), "--org", "org-private",
        "--record", "api-007", "--out", folder.resolve("receipt-private.json").toString(), "--unsigned", "--format", "json");
    assertThat(privateOrg.exitCode()).as(privateOrg.err()).isZero();
    JsonNode receiptOfPrivate = JSON.readTree(privateOrg.out());
    assertThat(receiptOfPrivate.get("consent").get("organization").asText()).isEqualTo("OPT_IN");
    assertThat(receiptOfPrivate.get("excluded_by_reason").get("ZERO_DATA_RETENTION").asLong()).isEqualTo(1);
    assertThat(receiptOfPrivate.get("proofs").get(0).get("included").asBoolean()).isFalse();

    // Night-1 read consent_events.jsonl before the revocation was appended: the consent state it saw
    // can no longer be read, so no receipt is made (a Delta input would be read at its pinned version).
    Invocation changed = lineage("receipt", "--manifest", manifest("night-1").toString(), "--org", "org-alpha",
        "--out", folder.resolve("receipt-alpha-night-1.json").toString(), "--unsigned");
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("consent_events is no longer as run night-1 read it (now 9 rows");
    assertThat(folder.resolve("receipt-alpha-night-1.json")).doesNotExist();
  }

  @Test
  void theNotebooksRunHeadlessOverTheCommandsJsonOutputs() throws Exception {
    Path inputs = Files.createDirectories(folder.resolve("notebook-inputs"));
    String night2 = manifest("night-2").toString();
    Path run = Files.writeString(inputs.resolve("run.json"), jsonOf(lineage("show", "--manifest", night2, "--format", "json")));
    Path proof = Files.writeString(inputs.resolve("proof.json"), jsonOf(lineage("prove", "--manifest", night2, "--record", "api-002")));
    Path receipt = Files.writeString(inputs.resolve("receipt.json"), jsonOf(lineage("receipt", "--manifest", night2,
        "--org", "org-alpha", "--unsigned", "--out", inputs.resolve("receipt.dsse.json").toString(), "--format", "json")));
    Path history = Files.writeString(inputs.resolve("history.json"),
        jsonOf(lineage("history", "--root", root.toString(), "--format", "json")));

    DebianPackages.ensure("command -v jupyter-nbconvert && /usr/bin/python3 -c 'import pandas, matplotlib, ipykernel'",
        "jupyter-nbconvert", "python3-pandas", "python3-matplotlib", "python3-ipykernel");
    Path executed = Path.of("target", "notebooks").toAbsolutePath();
    for (String notebook : List.of("walk-a-run", "run-history")) {
      ProcessBuilder nbconvert = new ProcessBuilder("jupyter-nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.timeout=600", "--output-dir", executed.toString(),
          Path.of("..", "notebooks", notebook + ".ipynb").toString())
          .redirectErrorStream(true);
      nbconvert.environment().putAll(java.util.Map.of("RUN_JSON", run.toString(), "PROOF_JSON", proof.toString(),
          "RECEIPT_JSON", receipt.toString(), "HISTORY_JSON", history.toString(), "MPLBACKEND", "Agg"));
      Process process = nbconvert.start();
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(notebook + ": " + output).isZero();
      assertThat(executed.resolve(notebook + ".ipynb")).exists();
    }
    assertThat(Files.readString(executed.resolve("walk-a-run.ipynb")))
        .contains("record 'api-002' is IN the eligible set of night-2").contains("checked by hand");
    assertThat(Files.readString(executed.resolve("run-history.ipynb"))).contains("3 runs, each linked to the one before it");
  }

  private static String jsonOf(Invocation invocation) {
    assertThat(invocation.exitCode()).as(invocation.err()).isZero();
    return invocation.out();
  }

  @Test
  void explainTracesARecordOfACommittedRunAtItsPinnedInputsOrSaysWhyNot() {
    Invocation night3 = cli("explain", "--manifest", manifest("night-3").toString(), "--record", "api-001");
    assertThat(night3.exitCode()).as(night3.err()).isZero();
    assertThat(night3.out()).contains("Consent state at as_of (2026-11-16T00:00:00Z)")
        .contains("Decision: EXCLUDED, primary reason OPT_IN_REVOKED");
    // Night-1 read consent_events.jsonl before the revocation was appended: its view is gone.
    Invocation night1 = cli("explain", "--manifest", manifest("night-1").toString(), "--record", "api-001");
    assertThat(night1.exitCode()).isEqualTo(2);
    assertThat(night1.err()).contains("the run's inputs cannot be read as it read them: consent_events");
  }

  @Test
  void aReceiptNeedsASigningKeyOrUnsigned() {
    Invocation refused = lineage("receipt", "--manifest", manifest("night-2").toString(), "--org", "org-alpha",
        "--out", folder.resolve("never.json").toString(), "--lineage-conf", writeConfig().toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("No signing key");
    assertThat(folder.resolve("never.json")).doesNotExist();
  }

  private static Path writeConfig() {
    try {
      return Files.writeString(folder.resolve("no-key.yaml"),
          "signing_key_file_env: ELIGIBILITY_TEST_KEY_THAT_IS_NOT_SET\ntrusted_public_keys: []\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aDryRunDecidesAndPrintsTheSummaryWithoutWritingAnything() throws Exception {
    List<String> before = SampleWorkspace.listing(root);
    Invocation dry = run("night-dry", "2026-11-16T00:00:00Z", "--dry-run");
    assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
    RunRecord third = record("night-3");
    assertThat(dry.out()).contains("Dry run of night-dry decided (nothing written): BASE_MODEL")
        .containsPattern("ELIGIBLE +" + third.counts().eligible() + "\n")
        .contains("Drift against the root's earlier runs: PASSED (")
        .contains("none: a dry run writes nothing and claims no root");
    assertThat(SampleWorkspace.listing(root)).isEqualTo(before);
  }

  @Test
  void aPolicyTrialShowsWhatAnEarlierCutoffWouldExcludeAndWritesNothing() throws Exception {
    Path candidate = Files.writeString(folder.resolve("candidate-policy.yaml"),
        Files.readString(Path.of("..", "conf", "policy.yaml"))
            .replace("policy_id: training-data-eligibility/v1", "policy_id: trial/earlier-cutoff")
            .replace("cutoff: 2023-03-01T00:00:00Z", "cutoff: 2022-01-01T00:00:00Z"));
    List<String> before = SampleWorkspace.listing(root);
    Path spec = workspace.spec("base-model", root, s -> s.replace("as_of: 2026-11-01T00:00:00Z", "as_of: 2026-11-12T00:00:00Z"));
    Invocation trial = cli("policy-diff", "--spec", spec.toString(), "--policy", candidate.toString(), "--ids");
    assertThat(trial.exitCode()).as(trial.out() + trial.err()).isZero();
    assertThat(trial.out())
        .contains("Under policy training-data-eligibility/v1 and candidate trial/earlier-cutoff")
        .contains("0 rows entered the eligible set, 1 left it; 3 rows changed outcome in all.")
        .containsPattern("ELIGIBLE +-> NO_OPT_IN +1\n")
        .containsPattern("ORG_OPTED_OUT +-> NO_OPT_IN +2\n")
        .containsPattern("org-legacy +0 +1\n")
        .containsPattern("api-002 +API +ELIGIBLE +-> NO_OPT_IN +org-legacy\n");
    assertThat(SampleWorkspace.listing(root)).isEqualTo(before);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aNightWhoseApiCorpusCameEmptyStopsAtItsDriftGateUnlessAccepted() throws Exception {
    Files.writeString(workspace.file("corpus/api.jsonl"), "");
    List<String> tables = tableListing();
    Path outcome = folder.resolve("outcomes").resolve("night-4.json");
    Invocation stopped = run("night-4", "2026-11-17T00:00:00Z", "--outcome-file", outcome.toString());
    assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isEqualTo(7);
    // The outcome a scheduler that cannot read exit codes reads: failed, drift, not worth a plain retry.
    JsonNode failed = JSON.readTree(Files.readString(outcome));
    assertThat(failed.get("outcome").asText()).isEqualTo("FAILED");
    assertThat(failed.get("exitCode").asInt()).isEqualTo(7);
    assertThat(failed.get("errorKind").asText()).isEqualTo("DRIFT");
    assertThat(failed.get("retry").asBoolean()).isFalse();
    assertThat(failed.get("message").asText()).contains("stopped before writing anything");
    assertThat(stopped.err())
        .contains("Run 'night-4' stopped before writing anything: its figures moved past the drift limits of bundled:")
        .contains("against the runs [night-3, night-2, night-1]")
        .contains("corpus 'api' has 0 rows, fewer than 0.5 of the median 15 of the last 3 runs [15, 15, 15]; the limit"
            + " is at least 0.5 of the history's median (input_shrink_factor)")
        .contains("--accept-drift");
    assertThat(tableListing()).as("nothing written").isEqualTo(tables);
    assertThat(manifest("night-4")).doesNotExist();

    Invocation accepted = run("night-4", "2026-11-17T00:00:00Z", "--accept-drift", "--outcome-file", outcome.toString());
    assertThat(accepted.exitCode()).as(accepted.out() + accepted.err()).isZero();
    JsonNode committed = JSON.readTree(Files.readString(outcome));
    assertThat(committed.get("outcome").asText()).isEqualTo("COMMITTED");
    assertThat(committed.get("exitCode").asInt()).isZero();
    assertThat(accepted.out()).contains("Drift against the root's earlier runs: ACCEPTED");
    RunRecord fourth = record("night-4");
    assertThat(fourth.driftCheck().outcome()).isEqualTo("ACCEPTED");
    assertThat(fourth.driftCheck().historyRunIds()).containsExactly("night-3", "night-2", "night-1");
    assertThat(fourth.driftCheck().findings()).extracting(f -> f.figure()).contains("input_rows:corpus 'api'");
    assertThat(record("night-3").driftCheck().outcome()).isEqualTo("NO_HISTORY");
  }

  private static List<String> tableListing() {
    return SampleWorkspace.listing(root).stream()
        .filter(path -> !path.startsWith("_claim") && !path.contains("claim")).toList();
  }

  private static Set<String> eligibleIds(String runId) throws Exception {
    RunRecord record = record(runId);
    return new HashSet<>(TestSpark.session().read().format("delta")
        .option("versionAsOf", record.output("eligible").orElseThrow().deltaVersion())
        .load(root.resolve("eligible").toString()).select("record_id").as(Encoders.STRING()).collectAsList());
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> difference = new HashSet<>(a);
    difference.removeAll(b);
    return difference;
  }
}
