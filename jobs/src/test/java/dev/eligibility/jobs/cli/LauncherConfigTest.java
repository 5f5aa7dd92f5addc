package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launchers' JVM flags and the build's surefire flags are one list, kept in two files. */
class LauncherConfigTest {

  @Test
  void launcherJvmOptionsMatchTheBuildsSparkJava17Opens() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    String property = pom.substring(pom.indexOf("<spark.java17.opens>") + "<spark.java17.opens>".length(),
        pom.indexOf("</spark.java17.opens>"));
    List<String> fromPom = Arrays.asList(property.trim().split("\\s+"));
    List<String> fromConf = Files.readAllLines(Path.of("..", "conf", "spark-java17.jvmopts")).stream()
        .map(String::trim).filter(line -> !line.isEmpty()).toList();
    assertThat(fromConf).isEqualTo(fromPom);
  }

  @Test
  void theLauncherIsExecutableAndRunsTheCliMainClass() throws Exception {
    Path launcher = Path.of("bin", "eligibility");
    assertThat(Files.isExecutable(launcher)).isTrue();
    assertThat(Files.readString(launcher)).contains(EligibilityCli.class.getName());
  }
}
