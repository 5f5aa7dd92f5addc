package dev.eligibility.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes {@link RunRecord}s (and {@link MembershipProof}s) as JSON: snake_case keys, ISO-8601 instants, explicit
 * nulls, a fixed key order, so that equal records give equal bytes.
 */
public final class RunRecordCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RunRecordCodec() {}

  /** The mapper behind this codec, for documents that embed a run record. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The record as UTF-8 JSON. */
  public static byte[] toJson(RunRecord record) {
    try {
      return (MAPPER.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise run record " + record.run().runId(), e);
    }
  }

  /**
   * Any document of this library's conventions (records, lists and maps of them) as indented
   * JSON text with a final newline: what the reviewer's commands print with {@code --format json}.
   */
  public static String toJsonText(Object document) {
    try {
      return MAPPER.writeValueAsString(document) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + document.getClass().getSimpleName(), e);
    }
  }

  /** A membership proof as UTF-8 JSON. */
  public static byte[] toJson(MembershipProof proof) {
    try {
      return (MAPPER.writeValueAsString(proof) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise proof for " + proof.recordId(), e);
    }
  }

  /** Parses a proof written by {@link #toJson(MembershipProof)}. */
  public static MembershipProof proofFromJson(byte[] json) throws IOException {
    return MAPPER.readValue(json, MembershipProof.class);
  }

  /**
   * Parses a record written by {@link #toJson}.
   *
   * @throws IOException if the bytes are not a record of a known format version
   */
  public static RunRecord fromJson(byte[] json) throws IOException {
    RunRecord record = MAPPER.readValue(json, RunRecord.class);
    if (!RunRecord.READABLE_FORMAT_VERSIONS.contains(record.formatVersion())) {
      throw new IOException(
          "run record format '" + record.formatVersion() + "' is not known; this reader knows '"
              + RunRecord.FORMAT_VERSION_V6 + "' and '" + RunRecord.FORMAT_VERSION + "'");
    }
    return record;
  }
}
