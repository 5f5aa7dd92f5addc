package dev.eligibility.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one committed run did with one organization's data, for that organization: its rows that
 * were eligible and excluded (by reason), the consent state the run saw for it at {@code as_of},
 * and proofs that the record ids it asked about are, or are not, in the eligible set.
 *
 * <p>Written as an in-toto Statement in a DSSE envelope, like a run's manifest: its subject is
 * the run's manifest (by SHA-256), so the receipt is bound to the one run it speaks of; signed
 * when a signing key is configured. Each proof checks against the manifest's Merkle root with no
 * access to the data ({@code lineage check-proof}).
 *
 * @param runId the run
 * @param purpose the run's purpose
 * @param asOf the run's as_of
 * @param manifestDigest hex SHA-256 of the run's manifest file
 * @param organizationId the organization
 * @param eligibleRows the organization's rows in the run's eligible set
 * @param excludedRows the organization's rows the run excluded
 * @param excludedByReason those per primary reason, largest first
 * @param consent the consent state the run saw for the organization at {@code as_of}
 * @param merkleRoot the eligible set's Merkle root, as the manifest records it
 * @param eligibleSetSize the eligible set's size (the tree's leaves)
 * @param proofs one proof per record id asked about
 * @param issuedAt when the receipt was made
 */
public record OrganizationReceipt(
    String runId,
    String purpose,
    Instant asOf,
    String manifestDigest,
    String organizationId,
    long eligibleRows,
    long excludedRows,
    Map<String, Long> excludedByReason,
    ConsentSeen consent,
    String merkleRoot,
    long eligibleSetSize,
    List<MembershipProof> proofs,
    Instant issuedAt) {

  /** The predicate type of a receipt's statement. */
  public static final String PREDICATE_TYPE = "urn:eligibility-filter:predicate:organization-receipt:v1";

  public OrganizationReceipt {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(consent, "consent");
    excludedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(excludedByReason));
    proofs = List.copyOf(proofs);
  }

  /**
   * The consent state a run saw for an organization at its {@code as_of}: from the consent events
   * visible then (recorded at or before {@code as_of}), as the policy reads them.
   *
   * @param organization the whole organization's state ({@code OPT_IN}, {@code OPT_OUT} or {@code NONE})
   * @param projects each project with events of its own, and its state
   * @param visibleEvents consent events of the organization visible at {@code as_of}
   * @param malformedEvents how many of those cannot be read (any makes the organization opt out)
   */
  public record ConsentSeen(String organization, Map<String, String> projects, long visibleEvents, long malformedEvents) {
    public ConsentSeen {
      Objects.requireNonNull(organization, "organization");
      projects = Collections.unmodifiableMap(new LinkedHashMap<>(projects));
    }
  }

  /** The receipt as a signed (or, without a signer, unsigned) DSSE envelope's bytes. */
  public byte[] envelope(Optional<RunManifest.Signer> signer) {
    return RunManifest.envelope(statement(), signer);
  }

  private byte[] statement() {
    ObjectMapper mapper = RunRecordCodec.mapper();
    ObjectNode statement = mapper.createObjectNode();
    statement.put("_type", RunManifest.STATEMENT_TYPE);
    ObjectNode subject = statement.putArray("subject").addObject();
    subject.put("name", "manifest:" + runId);
    subject.putObject("digest").put("sha256", manifestDigest);
    statement.put("predicateType", PREDICATE_TYPE);
    statement.set("predicate", mapper.valueToTree(this));
    try {
      return mapper.writeValueAsBytes(statement);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the receipt of run " + runId, e);
    }
  }

  /** A receipt read from its envelope, and whether the envelope was signed. */
  public record Opened(OrganizationReceipt receipt, boolean signed) {}

  /**
   * Reads a receipt's envelope. A signed one must verify with one of {@code trustedKeys}; an
   * unsigned one is returned with {@code signed = false}. The statement's subject must be the
   * manifest the receipt names.
   */
  public static Opened open(byte[] bytes, List<PublicKey> trustedKeys) throws RunManifest.ManifestException {
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(bytes);
    } catch (IOException e) {
      throw new RunManifest.ManifestException("not a DSSE envelope");
    }
    boolean signed = !envelope.signatures().isEmpty();
    byte[] statement;
    try {
      statement = signed ? envelope.verifiedPayload(trustedKeys) : envelope.payloadBytes();
    } catch (DsseEnvelope.SignatureException e) {
      throw new RunManifest.ManifestException("signature: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RunManifest.ManifestException("the payload is not base64");
    }
    try {
      JsonNode root = RunRecordCodec.mapper().readTree(statement);
      if (!PREDICATE_TYPE.equals(root.path("predicateType").asText())) {
        throw new RunManifest.ManifestException("predicate type '" + root.path("predicateType").asText() + "' is not "
            + PREDICATE_TYPE);
      }
      OrganizationReceipt receipt = RunRecordCodec.mapper().treeToValue(root.get("predicate"), OrganizationReceipt.class);
      JsonNode subject = root.path("subject").path(0);
      if (!subject.path("digest").path("sha256").asText().equals(receipt.manifestDigest())) {
        throw new RunManifest.ManifestException("the subject is not the manifest the receipt names");
      }
      return new Opened(receipt, signed);
    } catch (IOException e) {
      throw new RunManifest.ManifestException("the statement cannot be read as a receipt");
    }
  }
}
