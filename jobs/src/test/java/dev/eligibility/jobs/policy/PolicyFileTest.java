package dev.eligibility.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

  @Test
  void theBundledPolicyIsConfPolicyYamlByteForByte() throws Exception {
    PolicyParameters bundled = PolicyFile.bundled();
    byte[] conf = Files.readAllBytes(Path.of("..", "conf", "policy.yaml"));
    assertThat(bundled.sha256()).isEqualTo(PolicyFile.sha256(conf));
    assertThat(bundled.policyId()).isEqualTo("training-data-eligibility/v1");
    assertThat(bundled.cutoff()).isEqualTo(Instant.parse("2023-03-01T00:00:00Z"));
    assertThat(bundled.nonRetainedEndpoints()).containsExactly("/v1/audio/transcriptions");
    assertThat(bundled.abuseMonitoringRetention()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void anyEditChangesTheDigest() {
    String text = "policy_id: p\ncutoff: 2023-03-01T00:00:00Z\nnon_retained_endpoints: [/a]\n"
        + "abuse_monitoring_retention_days: 30\n";
    PolicyParameters one = PolicyFile.parse("a", text.getBytes(StandardCharsets.UTF_8));
    PolicyParameters two = PolicyFile.parse("b", (text + "# comment\n").getBytes(StandardCharsets.UTF_8));
    assertThat(one.sha256()).isNotEqualTo(two.sha256());
    assertThat(one.nonRetainedEndpoints()).isEqualTo(List.of("/a"));
  }

  @Test
  void unknownAndMissingKeysAreRejected() {
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml",
        "policy_id: p\ncutoff: 2023-03-01T00:00:00Z\nnon_retained_endpoints: []\nabuse_monitoring_retention_days: 30\nextra: 1\n"
            .getBytes(StandardCharsets.UTF_8)))
        .hasMessage("p.yaml: key 'extra' is not known. Known keys here: abuse_monitoring_retention_days, cutoff,"
            + " non_retained_endpoints, policy_id. Remove it or fix its spelling.");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml",
        "policy_id: p\nnon_retained_endpoints: []\nabuse_monitoring_retention_days: 30\n".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("p.yaml: required key 'cutoff' is missing.");
  }
}
