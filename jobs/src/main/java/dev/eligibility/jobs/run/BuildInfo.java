package dev.eligibility.jobs.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build, as Maven wrote it into the jar. */
public final class BuildInfo {

  private BuildInfo() {}

  /** {@code <version>+<git commit>}, or what is known of it. */
  public static String codeVersion() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/eligibility-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String version = properties.getProperty("version", "unknown");
    String commit = properties.getProperty("commit", "");
    return commit.isBlank() || commit.startsWith("${") ? version : version + "+" + commit;
  }
}
