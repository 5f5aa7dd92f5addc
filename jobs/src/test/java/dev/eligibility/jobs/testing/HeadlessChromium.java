package dev.eligibility.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for page tests: Debian's Chromium, headless, installed by the test itself when
 * missing ({@link DebianPackages}). A page is loaded from its file, as a
 * reviewer would open it, with no network; what the browser made of it (the DOM after load), what
 * it wrote to its console (script errors, refused requests) and a screenshot are returned.
 */
public final class HeadlessChromium {

  /** What the browser made of a page: its DOM after load, and every console line it logged. */
  public record Page(String dom, List<String> consoleLines) {}

  private final Path profile;

  private HeadlessChromium(Path profile) {
    this.profile = profile;
  }

  /** The browser, installed first if the machine does not have it; {@code work} holds its profile. */
  public static HeadlessChromium installed(Path work) throws IOException, InterruptedException {
    DebianPackages.ensure("command -v chromium", "chromium");
    Files.createDirectories(work);
    return new HeadlessChromium(work);
  }

  /**
   * Loads {@code page} in a window {@code width} by {@code height} CSS pixels and saves a
   * screenshot of it to {@code screenshot}.
   */
  public Page load(Path page, int width, int height, Path screenshot) throws IOException, InterruptedException {
    Files.createDirectories(screenshot.toAbsolutePath().getParent());
    Run dom = run(page, List.of("--dump-dom"), width, height);
    Run shot = run(page, List.of("--screenshot=" + screenshot.toAbsolutePath(), "--hide-scrollbars"), width, height);
    List<String> console = new ArrayList<>();
    for (String line : (dom.log() + shot.log()).split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    return new Page(dom.out(), console);
  }

  private record Run(String out, String log) {}

  private Run run(Path page, List<String> action, int width, int height) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath(), "--enable-logging=stderr", "--v=0",
        "--window-size=" + width + "," + height));
    command.addAll(action);
    command.add(page.toAbsolutePath().toUri().toString());
    Path out = Files.createTempFile(profile, "out", ".txt");
    Path log = Files.createTempFile(profile, "log", ".txt");
    Process browser = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    if (!browser.waitFor(2, TimeUnit.MINUTES)) {
      browser.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 2 minutes: " + Files.readString(log));
    }
    if (browser.exitValue() != 0) {
      throw new IllegalStateException("chromium exited with " + browser.exitValue() + ": " + Files.readString(log));
    }
    return new Run(Files.readString(out), Files.readString(log));
  }
}
