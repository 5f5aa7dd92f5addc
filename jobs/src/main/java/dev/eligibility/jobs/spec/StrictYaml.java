package dev.eligibility.jobs.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eligibility.jobs.errors.Errors;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping read strictly: every key must be one of those declared, scalar values must be
 * text, and errors name the file and the dotted key path ({@code inputs.corpus[1].format}).
 */
public final class StrictYaml {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String file;
  private final String path;
  private final JsonNode node;

  private StrictYaml(String file, String path, JsonNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  /** Parses a whole document, which must be a mapping with only {@code allowedKeys}. */
  public static StrictYaml parse(String file, byte[] bytes, Set<String> allowedKeys) {
    JsonNode root;
    try {
      rejectDuplicateKeys(file, bytes);
      root = YAML.readTree(bytes);
    } catch (IOException e) {
      throw Errors.specUnreadable(file, "not valid YAML (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw Errors.specUnreadable(file, "the document must be a YAML mapping of keys to values");
    }
    StrictYaml yaml = new StrictYaml(file, "", root);
    yaml.allowOnly(allowedKeys);
    return yaml;
  }

  public String file() {
    return file;
  }

  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  public String requiredText(String key) {
    return optionalText(key).orElseThrow(() -> Errors.missingKey(file, keyPath(key)));
  }

  public Optional<String> optionalText(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      throw Errors.badValue(file, keyPath(key), describe(value), "a single value");
    }
    return Optional.of(value.asText());
  }

  public StrictYaml requiredMapping(String key, Set<String> allowedKeys) {
    return optionalMapping(key, allowedKeys).orElseThrow(() -> Errors.missingKey(file, keyPath(key)));
  }

  public Optional<StrictYaml> optionalMapping(String key, Set<String> allowedKeys) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw Errors.badValue(file, keyPath(key), describe(value), "a mapping such as {path: ..., format: ...}");
    }
    StrictYaml child = new StrictYaml(file, keyPath(key), value);
    child.allowOnly(allowedKeys);
    return Optional.of(child);
  }

  public List<StrictYaml> requiredMappingList(String key, Set<String> allowedKeys) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw Errors.missingKey(file, keyPath(key));
    }
    if (!value.isArray() || value.isEmpty()) {
      throw Errors.badValue(file, keyPath(key), describe(value), "a non-empty list of inputs");
    }
    List<StrictYaml> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = keyPath(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw Errors.badValue(file, itemPath, describe(item), "a mapping such as {name: ..., path: ..., format: ...}");
      }
      StrictYaml child = new StrictYaml(file, itemPath, item);
      child.allowOnly(allowedKeys);
      items.add(child);
    }
    return items;
  }

  public List<String> optionalTextList(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw Errors.badValue(file, keyPath(key), describe(value), "a list of values");
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isValueNode() || item.isNull()) {
        throw Errors.badValue(file, keyPath(key), describe(item), "a list of non-null values");
      }
      items.add(item.asText());
    }
    return items;
  }

  /** A required list of non-empty values. */
  public List<String> requiredTextList(String key) {
    if (!has(key)) {
      throw Errors.missingKey(file, keyPath(key));
    }
    List<String> items = optionalTextList(key);
    if (items.stream().anyMatch(String::isEmpty)) {
      throw Errors.badValue(file, keyPath(key), "", "a list of non-empty values");
    }
    return items;
  }

  /** A required ISO-8601 instant with a zone ({@code 2026-11-25T00:00:00Z}). */
  public Instant requiredInstant(String key) {
    return instant(key, requiredText(key));
  }

  /** An optional ISO-8601 instant with a zone. */
  public Optional<Instant> optionalInstant(String key) {
    return optionalText(key).map(text -> instant(key, text));
  }

  private Instant instant(String key, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw Errors.badValue(file, keyPath(key), text, "an ISO-8601 instant with a zone, such as 2026-11-25T00:00:00Z");
    }
  }

  /**
   * Refuses a key given twice in one mapping. Jackson keeps the last value silently, so a templated
   * or merged spec could write elsewhere or judge by another policy than the one a reader sees first.
   */
  private static void rejectDuplicateKeys(String file, byte[] bytes) throws IOException {
    Deque<OpenNode> open = new ArrayDeque<>();
    try (JsonParser parser = YAML.getFactory().createParser(bytes)) {
      String lastKey = "";
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME) {
          lastKey = parser.currentName();
          int line = parser.currentTokenLocation().getLineNr();
          Integer firstLine = open.peek().keyLines().putIfAbsent(lastKey, line);
          if (firstLine != null) {
            throw Errors.specConflict(file, "key '" + open.peek().child(lastKey) + "' is given twice, on line "
                + firstLine + " and on line " + line + ". Keep one of them.");
          }
        } else if (token.isStructEnd()) {
          open.pop();
        } else {
          String path = open.isEmpty() ? "" : open.peek().nextChild(lastKey);
          if (token.isStructStart()) {
            open.push(new OpenNode(path, token == JsonToken.START_OBJECT ? new HashMap<>() : null));
          }
        }
      }
    }
  }

  /** A mapping (with the lines of its keys) or a list the parser is inside of, named by its key path. */
  private static final class OpenNode {
    private final String path;
    private final Map<String, Integer> keyLines;
    private int items;

    OpenNode(String path, Map<String, Integer> keyLines) {
      this.path = path;
      this.keyLines = keyLines;
    }

    Map<String, Integer> keyLines() {
      return keyLines;
    }

    String child(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    /** The path of the value that starts now: under {@code key} in a mapping, the next item in a list. */
    String nextChild(String key) {
      return keyLines != null ? child(key) : path + "[" + items++ + "]";
    }
  }

  private void allowOnly(Set<String> allowedKeys) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowedKeys.contains(name)) {
        throw Errors.unknownKey(file, keyPath(name), allowedKeys.stream().sorted().toList());
      }
    }
  }

  private static String describe(JsonNode value) {
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.asText();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
