package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsseEnvelopeTest {

  static final KeyPair TRUSTED = Ed25519Keys.generate();
  static final KeyPair STRANGER = Ed25519Keys.generate();
  static final byte[] STATEMENT = "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void preAuthenticationEncodingMatchesTheDsseSpecificationExample() {
    assertThat(new String(DsseEnvelope.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void aSignedEnvelopeVerifiesWithTheTrustedKeyAfterAJsonRoundTrip() throws Exception {
    DsseEnvelope envelope = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, STATEMENT, TRUSTED.getPrivate(),
        Ed25519Keys.keyId(TRUSTED.getPublic()));
    DsseEnvelope read = DsseEnvelope.fromJson(envelope.toJson());
    assertThat(read.verifiedPayload(List.of(STRANGER.getPublic(), TRUSTED.getPublic()))).isEqualTo(STATEMENT);
    assertThat(new String(envelope.toJson(), StandardCharsets.UTF_8)).contains("\"payloadType\"", "\"keyid\"", "\"sig\"");
  }

  @Test
  void anUntrustedKeyCarryingATrustedKeyIdIsRejected() {
    DsseEnvelope forged = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, STATEMENT, STRANGER.getPrivate(),
        Ed25519Keys.keyId(TRUSTED.getPublic()));
    assertThatThrownBy(() -> forged.verifiedPayload(List.of(TRUSTED.getPublic())))
        .isInstanceOf(DsseEnvelope.SignatureException.class)
        .hasMessage("no signature verifies with any trusted key (1 signature(s), 1 trusted key(s); key ids are hints"
            + " and are not trusted)");
  }

  @Test
  void changingOneByteOfThePayloadOrItsTypeBreaksTheSignature() {
    DsseEnvelope envelope = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, STATEMENT, TRUSTED.getPrivate(), "k");
    byte[] changed = STATEMENT.clone();
    changed[5] ^= 1;
    DsseEnvelope tampered = new DsseEnvelope(Base64.getEncoder().encodeToString(changed), envelope.payloadType(),
        envelope.signatures());
    DsseEnvelope retyped = new DsseEnvelope(envelope.payload(), "application/json", envelope.signatures());
    assertThatThrownBy(() -> tampered.verifiedPayload(List.of(TRUSTED.getPublic())))
        .isInstanceOf(DsseEnvelope.SignatureException.class);
    assertThatThrownBy(() -> retyped.verifiedPayload(List.of(TRUSTED.getPublic())))
        .isInstanceOf(DsseEnvelope.SignatureException.class);
  }

  @Test
  void keysSurviveAPemRoundTrip() throws Exception {
    var privateKey = Ed25519Keys.privateKeyFromPem(Ed25519Keys.toPem(TRUSTED.getPrivate()));
    var publicKey = Ed25519Keys.publicKeyFromPem(Ed25519Keys.toPem(TRUSTED.getPublic()));
    DsseEnvelope envelope = DsseEnvelope.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, STATEMENT, privateKey, "k");
    assertThat(envelope.verifiedPayload(List.of(publicKey))).isEqualTo(STATEMENT);
    assertThat(Ed25519Keys.keyId(publicKey)).hasSize(64).isEqualTo(Ed25519Keys.keyId(TRUSTED.getPublic()));
    assertThat(Ed25519Keys.publicKeyOf(privateKey).getEncoded()).isEqualTo(TRUSTED.getPublic().getEncoded());
  }
}
