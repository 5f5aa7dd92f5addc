package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.cli.EligibilityCli;
import dev.eligibility.jobs.cli.LineageCli;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every command of both command lines, one after another in one JVM (one Spark context),
 * printing everything they print, for tests that inspect all of a process's output. Each
 * argument is one command, its words separated by spaces, prefixed {@code eligibility } or
 * {@code lineage }; a command whose words end in {@code > FILE} writes its output there too.
 * Exits with the number of commands that exited other than 0.
 */
public final class EveryCommandDriver {

  private EveryCommandDriver() {}

  public static void main(String[] commands) throws Exception {
    int failed = 0;
    for (String command : commands) {
      List<String> words = new ArrayList<>(List.of(command.split(" ")));
      Path redirect = null;
      if (words.size() > 2 && words.get(words.size() - 2).equals(">")) {
        redirect = Path.of(words.remove(words.size() - 1));
        words.remove(words.size() - 1);
      }
      String[] args = words.subList(1, words.size()).toArray(String[]::new);
      StringWriter out = new StringWriter();
      PrintWriter err = new PrintWriter(System.err, true);
      System.out.println("$ " + command);
      int exit = words.get(0).equals("lineage")
          ? LineageCli.execute(new PrintWriter(out), err, args)
          : EligibilityCli.execute(new PrintWriter(out), err, args);
      System.out.print(out);
      System.out.println("exit " + exit);
      System.out.flush();
      if (redirect != null) {
        Files.writeString(redirect, out.toString(), StandardCharsets.UTF_8);
      }
      failed += exit == 0 ? 0 : 1;
    }
    System.exit(failed);
  }
}
