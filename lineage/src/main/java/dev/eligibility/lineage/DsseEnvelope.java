package dev.eligibility.lineage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope (github.com/secure-systems-lab/dsse, v1.0) signed with Ed25519.
 *
 * <p>Signatures cover the pre-authentication encoding
 * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, never the bare payload. A
 * signature's {@code keyid} is only a hint: {@link #verifiedPayload} tries every trusted key and
 * never looks a key up by id, so a signature by an untrusted key that carries a trusted key's id
 * is rejected.
 *
 * @param payload the payload, standard base64
 * @param payloadType the payload's media type, e.g. {@code application/vnd.in-toto+json}
 * @param signatures the signatures over PAE(payloadType, payload)
 */
public record DsseEnvelope(
    @JsonProperty("payload") String payload,
    @JsonProperty("payloadType") String payloadType,
    @JsonProperty("signatures") List<DsseSignature> signatures) {

  /** The in-toto Statement media type. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public DsseEnvelope {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(payloadType, "payloadType");
    signatures = List.copyOf(signatures);
  }

  /**
   * One signature.
   *
   * @param keyid a hint naming the key (hex SHA-256 of its SubjectPublicKeyInfo); never trusted
   * @param sig the Ed25519 signature, standard base64
   */
  public record DsseSignature(@JsonProperty("keyid") String keyid, @JsonProperty("sig") String sig) {}

  /** The pre-authentication encoding DSSE signs. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] header = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8);
    byte[] encoded = new byte[header.length + payload.length];
    System.arraycopy(header, 0, encoded, 0, header.length);
    System.arraycopy(payload, 0, encoded, header.length, payload.length);
    return encoded;
  }

  /** Signs {@code payload} with an Ed25519 key. */
  public static DsseEnvelope sign(String payloadType, byte[] payload, PrivateKey key, String keyId) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(pae(payloadType, payload));
      String sig = Base64.getEncoder().encodeToString(signer.sign());
      return new DsseEnvelope(Base64.getEncoder().encodeToString(payload), payloadType,
          List.of(new DsseSignature(keyId, sig)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with an Ed25519 key: " + e.getMessage(), e);
    }
  }

  /** The decoded payload, unverified: only for reporting after {@link #verifiedPayload}. */
  public byte[] payloadBytes() {
    return Base64.getDecoder().decode(payload);
  }

  /**
   * The payload, if at least one signature verifies under one of {@code trustedKeys}.
   *
   * @throws SignatureException naming why no signature could be trusted
   */
  public byte[] verifiedPayload(List<PublicKey> trustedKeys) throws SignatureException {
    if (signatures.isEmpty()) {
      throw new SignatureException("the envelope carries no signature");
    }
    if (trustedKeys.isEmpty()) {
      throw new SignatureException("no trusted public key is configured");
    }
    byte[] body;
    try {
      body = payloadBytes();
    } catch (IllegalArgumentException e) {
      throw new SignatureException("the payload is not base64");
    }
    byte[] signed = pae(payloadType, body);
    for (DsseSignature signature : signatures) {
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(signature.sig());
      } catch (IllegalArgumentException | NullPointerException e) {
        continue;
      }
      for (PublicKey key : trustedKeys) {
        if (verifies(key, signed, sig)) {
          return body;
        }
      }
    }
    throw new SignatureException("no signature verifies with any trusted key (" + signatures.size()
        + " signature(s), " + trustedKeys.size() + " trusted key(s); key ids are hints and are not trusted)");
  }

  private static boolean verifies(PublicKey key, byte[] signed, byte[] sig) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signed);
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  public byte[] toJson() {
    try {
      return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DsseEnvelope fromJson(byte[] json) throws IOException {
    return JSON.readValue(json, DsseEnvelope.class);
  }

  /** Why an envelope's signatures cannot be trusted. */
  public static final class SignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
      super(message);
    }
  }

}
