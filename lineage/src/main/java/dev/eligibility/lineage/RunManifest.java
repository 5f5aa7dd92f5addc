package dev.eligibility.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A run's manifest: an in-toto Statement v1 whose predicate is the {@link RunRecord}, carried in a
 * DSSE envelope ({@code application/vnd.in-toto+json}) signed with Ed25519, or unsigned when the
 * run was told so ({@code --unsigned}; the envelope then has no signature and every reader says so).
 *
 * <p>Subjects are the run's output snapshots: name {@code <table>@v<version>}, digest
 * {@code {"eligibility-dataset-v2": <dataset digest>}} ({@link DigestAlgorithm#subjectKey}; a
 * v6 record's manifest says {@code eligibility-dataset-v1}).
 */
public final class RunManifest {

  /** in-toto Statement type. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  /** This project's predicate type; the version follows the run record's format version. */
  public static final String PREDICATE_TYPE = "urn:eligibility-filter:predicate:run-record:v7";

  /** The predicate type of manifests written before, which this library still reads. */
  public static final String PREDICATE_TYPE_V6 = "urn:eligibility-filter:predicate:run-record:v6";

  private static final ObjectMapper MAPPER = RunRecordCodec.mapper();

  private RunManifest() {}

  /** A signing key and the key id written next to its signatures (a hint only). */
  public record Signer(PrivateKey key, String keyId) {
    public Signer {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(keyId, "keyId");
    }
  }

  /**
   * A manifest as read.
   *
   * @param record the run record (the predicate)
   * @param signed whether a signature verified with a trusted key; false only for unsigned manifests
   * @param statement the in-toto Statement bytes, as signed
   */
  public record Opened(RunRecord record, boolean signed, byte[] statement) {}

  /** Why a manifest cannot be believed or read. */
  public static final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
      super(message);
    }
  }

  /** The in-toto Statement of a run record. */
  public static byte[] statement(RunRecord record) {
    ObjectNode statement = MAPPER.createObjectNode();
    statement.put("_type", STATEMENT_TYPE);
    ArrayNode subjects = statement.putArray("subject");
    for (OutputSnapshot output : record.outputs()) {
      ObjectNode subject = subjects.addObject();
      subject.put("name", output.table() + "@v" + output.deltaVersion());
      subject.putObject("digest").put(record.digestAlgorithm().subjectKey(), output.datasetDigest());
    }
    statement.put("predicateType", predicateType(record.formatVersion()));
    statement.set("predicate", MAPPER.valueToTree(record));
    try {
      return MAPPER.writeValueAsBytes(statement);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the statement of run " + record.run().runId(), e);
    }
  }

  /** The manifest file's bytes: the DSSE envelope, signed when {@code signer} is present. */
  public static byte[] write(RunRecord record, Optional<Signer> signer) {
    return envelope(statement(record), signer);
  }

  /** An in-toto statement's DSSE envelope bytes, signed when {@code signer} is present. */
  static byte[] envelope(byte[] statement, Optional<Signer> signer) {
    DsseEnvelope envelope = signer
        .map(s -> DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement, s.key(), s.keyId()))
        .orElseGet(() -> new DsseEnvelope(java.util.Base64.getEncoder().encodeToString(statement),
            DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, List.of()));
    return envelope.toJson();
  }

  /**
   * Reads a manifest. A signed manifest must verify with one of {@code trustedKeys}; an unsigned
   * one is returned with {@code signed = false} for the caller to report.
   */
  public static Opened open(byte[] manifest, List<PublicKey> trustedKeys) throws ManifestException {
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(manifest);
    } catch (IOException e) {
      throw new ManifestException("not a DSSE envelope (" + firstLine(e.getMessage()) + ")");
    }
    if (!DsseEnvelope.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new ManifestException("payload type '" + envelope.payloadType() + "' is not " + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE);
    }
    byte[] statement;
    boolean signed = !envelope.signatures().isEmpty();
    if (signed) {
      try {
        statement = envelope.verifiedPayload(trustedKeys);
      } catch (DsseEnvelope.SignatureException e) {
        throw new ManifestException("signature: " + e.getMessage());
      }
    } else {
      try {
        statement = envelope.payloadBytes();
      } catch (IllegalArgumentException e) {
        throw new ManifestException("the payload is not base64");
      }
    }
    return new Opened(predicate(statement), signed, statement);
  }

  /**
   * Reads a manifest without checking its signature: for the job's own bookkeeping (which table
   * versions a committed run named, to restore them), never to vouch for a run.
   */
  public static Opened openUnverified(byte[] manifest) throws ManifestException {
    DsseEnvelope envelope;
    byte[] statement;
    try {
      envelope = DsseEnvelope.fromJson(manifest);
      statement = envelope.payloadBytes();
    } catch (IOException | IllegalArgumentException e) {
      throw new ManifestException("not a DSSE envelope with a base64 payload (" + firstLine(e.getMessage()) + ")");
    }
    return new Opened(predicate(statement), !envelope.signatures().isEmpty(), statement);
  }

  private static RunRecord predicate(byte[] statement) throws ManifestException {
    try {
      JsonNode root = MAPPER.readTree(statement);
      if (!STATEMENT_TYPE.equals(root.path("_type").asText())) {
        throw new ManifestException("not an in-toto Statement v1");
      }
      String predicateType = root.path("predicateType").asText();
      if (!PREDICATE_TYPE.equals(predicateType) && !PREDICATE_TYPE_V6.equals(predicateType)) {
        throw new ManifestException("predicate type '" + predicateType + "' is not " + PREDICATE_TYPE
            + " (nor " + PREDICATE_TYPE_V6 + ", which this library still reads)");
      }
      RunRecord record = RunRecordCodec.fromJson(MAPPER.writeValueAsBytes(root.get("predicate")));
      if (!predicateType.equals(predicateType(record.formatVersion()))) {
        throw new ManifestException("predicate type '" + predicateType + "' does not match the record's format "
            + record.formatVersion());
      }
      String digestKey = record.digestAlgorithm().subjectKey();
      for (OutputSnapshot output : record.outputs()) {
        boolean listed = false;
        for (JsonNode subject : root.path("subject")) {
          listed |= subject.path("name").asText().equals(output.table() + "@v" + output.deltaVersion())
              && subject.path("digest").path(digestKey).asText().equals(output.datasetDigest());
        }
        if (!listed) {
          throw new ManifestException("the subjects do not name output " + output.table() + " with its digest");
        }
      }
      return record;
    } catch (IOException e) {
      throw new ManifestException("the statement cannot be read (" + firstLine(e.getMessage()) + ")");
    }
  }

  /** The predicate type of a record of {@code formatVersion} (one of {@link RunRecord#READABLE_FORMAT_VERSIONS}). */
  private static String predicateType(String formatVersion) {
    return RunRecord.FORMAT_VERSION_V6.equals(formatVersion) ? PREDICATE_TYPE_V6 : PREDICATE_TYPE;
  }

  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse(message);
  }
}
