package dev.eligibility.jobs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian packages a test needs (a browser, Jupyter), installed by the test itself when missing
 * (src/test/scripts/ensure-debian-packages.sh), so the README's test command needs no set-up.
 */
public final class DebianPackages {

  static final Path ENSURE = Path.of("src", "test", "scripts", "ensure-debian-packages.sh");

  private DebianPackages() {}

  /** Installs {@code packages} unless {@code probe} (a shell command) already succeeds; then it must. */
  public static void ensure(String probe, String... packages) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", ENSURE.toString(), probe));
    command.addAll(List.of(packages));
    Process ensure = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ensure.waitFor(10, TimeUnit.MINUTES) || ensure.exitValue() != 0) {
      throw new IllegalStateException("Debian packages " + List.of(packages) + " could not be installed: " + output);
    }
  }
}
