package dev.eligibility.jobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/policy.md states the reason codes the code applies, numbered in the code's order. */
class PolicyDocsTest {

  static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `([A-Z_]+)` \\|", Pattern.MULTILINE);

  @Test
  void theDocsListTheCodesReasonsInTheCodesOrder() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "policy.md"));
    List<String> listed = new ArrayList<>();
    Matcher row = ROW.matcher(docs);
    while (row.find()) {
      assertThat(Integer.parseInt(row.group(1))).as("the number of " + row.group(2)).isEqualTo(listed.size() + 1);
      listed.add(row.group(2));
    }
    assertThat(listed).containsExactlyElementsOf(Arrays.stream(Reason.values()).map(Reason::name).toList());
  }
}
