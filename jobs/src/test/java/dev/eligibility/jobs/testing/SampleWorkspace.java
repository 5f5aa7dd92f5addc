package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.cli.EligibilityCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundled samples in a temporary folder: a copy of {@code data-samples/} whose specs write
 * to a private output root, so tests can run, break and re-run them without touching the checkout.
 */
public final class SampleWorkspace {

  public static final Path SAMPLES = Path.of("..", "data-samples").toAbsolutePath().normalize();

  private final Path root;

  private SampleWorkspace(Path root) {
    this.root = root;
  }

  /** Copies the samples under {@code folder}. */
  public static SampleWorkspace create(Path folder) {
    copyTree(SAMPLES, folder);
    return new SampleWorkspace(folder);
  }

  /** Copies every folder and file under {@code from} to the same place under {@code to}. */
  public static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public Path file(String relative) {
    return root.resolve(relative);
  }

  /** Where the sample spec {@code name} writes: {@code <workspace>/out/<name>}. */
  public Path outputRoot(String specName) {
    return root.resolve("out").resolve(specName);
  }

  /** The sample spec, rewritten to write under this workspace, with {@code edit} applied to its text. */
  public Path spec(String specName, java.util.function.UnaryOperator<String> edit) {
    return spec(specName, outputRoot(specName), edit);
  }

  /** The sample spec writing to {@code output}, with {@code edit} applied to its text. */
  public Path spec(String specName, Path output, java.util.function.UnaryOperator<String> edit) {
    try {
      String text = Files.readString(root.resolve("specs").resolve(specName + ".yaml"));
      text = text.replaceAll("output: \\{root: [^}]*}", "output: {root: " + output + "}");
      Path spec = root.resolve("specs").resolve(specName + "-test-" + System.nanoTime() + ".yaml");
      Files.writeString(spec, edit.apply(text));
      return spec;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path spec(String specName) {
    return spec(specName, text -> text);
  }

  /** Replaces every line of a sample file that contains {@code marker} by {@code replacement}. */
  public void editLines(String relative, String marker, String replacement) {
    try {
      Path file = file(relative);
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        lines.add(line.contains(marker) ? replacement : line);
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under {@code folder} with its size and modification time, for "nothing changed" checks. */
  public static List<String> listing(Path folder) {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).sorted().map(f -> {
        try {
          return folder.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one CLI invocation did. */
  public record Invocation(int exitCode, String out, String err) {}

  /** Runs the reviewer's CLI ({@code lineage ...}) in this JVM and captures its console. */
  public static Invocation lineage(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = dev.eligibility.jobs.cli.LineageCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Invocation(exit, out.toString(), err.toString());
  }

  /** Runs the CLI in this JVM (sharing the test Spark session) and captures its console. */
  public static Invocation cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = EligibilityCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Invocation(exit, out.toString(), err.toString());
  }

  /** The payload ({@code content}) of every bundled sample corpus row: what must never leave eligible/. */
  public static List<String> samplePayloads() {
    return TestSpark.session().read().json(SAMPLES.resolve("corpus").toString()).select("content")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }
}
