package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help as picocli wraps it at its default width: no line is a stray word left
 * over from a hand-broken line (one word, with its paragraph going on below it at the same
 * indentation; a paragraph's last word alone on its last line is ordinary wrapping), no example
 * is broken across lines, and every command's summary is a whole sentence.
 */
class HelpTextTest {

  /** A line of one word: what picocli leaves when a hand-broken line overflows the width. */
  static final Pattern STRAY = Pattern.compile("^\\s*[\\p{L}\\p{N}'(),.;:/<>_-]+\\s*$");

  static List<CommandLine> everyCommand() {
    List<CommandLine> all = new ArrayList<>();
    for (Object root : List.of(new EligibilityCli(), new LineageCli())) {
      collect(new CommandLine(root), all);
    }
    return all;
  }

  static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  @Test
  void noHelpLineIsAStrayWord() {
    List<String> strays = new ArrayList<>();
    for (CommandLine command : everyCommand()) {
      String[] lines = command.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n");
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        boolean heading = line.endsWith(":") && !line.startsWith(" ");
        boolean paragraphGoesOn = i + 1 < lines.length && !lines[i + 1].isBlank()
            && indentation(lines[i + 1]) == indentation(line);
        boolean brokenExample = line.startsWith("  jobs/bin/") && i + 1 < lines.length && !lines[i + 1].isBlank()
            && indentation(lines[i + 1]) == 0;
        if (!heading && STRAY.matcher(line).matches() && paragraphGoesOn || brokenExample) {
          strays.add(command.getCommandName() + ": '" + line.trim() + "'");
        }
      }
    }
    assertThat(strays).as("help lines of a single word").isEmpty();
  }

  static int indentation(String line) {
    return line.length() - line.stripLeading().length();
  }

  @Test
  void everySubcommandSummaryIsAWholeSentence() {
    for (CommandLine command : everyCommand()) {
      String[] description = command.getCommandSpec().usageMessage().description();
      if (command.getCommandName().equals("help")) {
        continue;
      }
      assertThat(description).as(command.getCommandName() + " has a description").isNotEmpty();
      // The first paragraph is what the parent lists; it must end a sentence, not break off.
      assertThat(description[0].trim()).as(command.getCommandName() + "'s summary").endsWith(".");
    }
  }
}
