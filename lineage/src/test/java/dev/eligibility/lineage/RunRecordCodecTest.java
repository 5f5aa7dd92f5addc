package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunRecordCodecTest {

  static RunRecord sample() {
    Map<String, Long> byReason = new LinkedHashMap<>();
    byReason.put("INVALID_RECORD", 1L);
    byReason.put("NO_OPT_IN", 2L);
    return new RunRecord(
        RunRecord.FORMAT_VERSION,
        new RunInfo("run-1", "BASE_MODEL", null, Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-11-25T01:00:00.123456Z"), Instant.parse("2026-11-25T01:00:09Z"), "3.5.9", "local-1"),
        new PolicyInfo("p/v1", "bundled", "ab".repeat(32), Map.of("cutoff", "2023-03-01T00:00:00Z")),
        List.of(new InputSnapshot("corpus", "web", "/data/web", "delta", 4L, List.of(), 10, "01".repeat(32)),
            new InputSnapshot("api_requests", "api_requests", "/data/req.jsonl", "json", null,
                List.of(new InputFile("/data/req.jsonl", 120, "03".repeat(32))), 3, "02".repeat(32))),
        List.of(new OutputSnapshot("eligible", "/out/eligible", 2, 7, "cd".repeat(32), "ef".repeat(32))),
        new DecisionCounts(10, 7, 3, byReason, Map.of("PUBLIC_WEB", new DecisionCounts.KindCounts(7, 3))),
        List.of(new UpstreamWarning("W", "a warning", 1, List.of("org-1"))),
        new NegativeClaims(0, 0, 0, 0, 0),
        new OrganizationCounts(2, "05".repeat(32)),
        new DecisionMode(DecisionMode.INCREMENTAL, null, "run-0", "06".repeat(32), 3, "/out/decisions", 5),
        new DriftCheck(DriftCheck.ACCEPTED, "bundled:/conf/drift.yaml (sha256 " + "07".repeat(32) + ")",
            List.of("run-0", "run-00"), 4, List.of(new DriftCheck.Finding("input_rows:corpus 'web'", 10, List.of(30.0, 40.0),
                "at least 0.5 of the history's median (input_shrink_factor)", "corpus 'web' has 10 rows"))),
        "0.1.0",
        "04".repeat(32));
  }

  @Test
  void aRecordSurvivesTheRoundTripAndSerialisesToTheSameBytes() throws IOException {
    byte[] json = RunRecordCodec.toJson(sample());
    assertThat(RunRecordCodec.fromJson(json)).isEqualTo(sample());
    assertThat(RunRecordCodec.toJson(RunRecordCodec.fromJson(json))).isEqualTo(json);
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text).contains("\"format_version\" : \"eligibility-run-record/v7\"",
        "\"as_of\" : \"2026-11-01T00:00:00Z\"", "\"started_at\" : \"2026-11-25T01:00:00.123456Z\"",
        "\"fine_tune_org_id\" : null", "\"delta_version\" : null", "\"size\" : 120",
        "\"previous_manifest_digest\" : \"" + "04".repeat(32) + "\"");
    assertThat(text.indexOf("INVALID_RECORD")).isLessThan(text.indexOf("NO_OPT_IN"));
    assertThat(text).contains("\"organizations\" : 2", "\"digest\" : \"" + "05".repeat(32) + "\"");
    assertThat(text).contains("\"mode\" : \"INCREMENTAL\"", "\"base_run_id\" : \"run-0\"", "\"redecided_rows\" : 3",
        "\"state_version\" : 5");
    assertThat(text).contains("\"outcome\" : \"ACCEPTED\"", "\"history_run_ids\" : [ \"run-0\", \"run-00\" ]",
        "\"figure\" : \"input_rows:corpus 'web'\"", "\"history\" : [ 30.0, 40.0 ]");
  }

  @Test
  void countsThatDoNotAddUpAreRejected() {
    assertThatThrownBy(() -> new DecisionCounts(10, 7, 2, Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eligible (7) + excluded (2) != candidates (10)");
  }

  @Test
  void anUnknownFormatVersionIsRejected() {
    String json = new String(RunRecordCodec.toJson(sample()), StandardCharsets.UTF_8)
        .replace("eligibility-run-record/v7", "eligibility-run-record/v9");
    assertThatThrownBy(() -> RunRecordCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class)
        .hasMessage("run record format 'eligibility-run-record/v9' is not known; this reader knows"
            + " 'eligibility-run-record/v6' and 'eligibility-run-record/v7'");
  }

  @Test
  void anUnknownFieldIsRejectedRatherThanSilentlyDropped() {
    String json = new String(RunRecordCodec.toJson(sample()), StandardCharsets.UTF_8)
        .replace("\"code_version\"", "\"extra\" : 1, \"code_version\"");
    assertThatThrownBy(() -> RunRecordCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("extra");
  }
}
