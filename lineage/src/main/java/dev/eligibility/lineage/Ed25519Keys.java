package dev.eligibility.lineage;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys in PEM, as {@code openssl genpkey -algorithm ed25519} writes them: private keys
 * as PKCS#8 ({@code PRIVATE KEY}), public keys as SubjectPublicKeyInfo ({@code PUBLIC KEY}).
 */
public final class Ed25519Keys {

  private Ed25519Keys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JVM", e);
    }
  }

  /** The key id hint: hex SHA-256 of the public key's SubjectPublicKeyInfo (DER). */
  public static String keyId(PublicKey key) {
    return Sha256.hex(Sha256.of(key.getEncoded()));
  }

  public static PrivateKey privateKeyFromPem(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
  }

  /**
   * The public key of an Ed25519 private key. An Ed25519 private key is a 32-byte seed from which
   * the public key is derived; the JDK has no direct call for it, so the key pair is generated
   * again from the same seed (the generator draws exactly the seed from its random source).
   */
  public static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
    java.security.interfaces.EdECPrivateKey ed = (java.security.interfaces.EdECPrivateKey) key;
    byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("the private key has no seed"));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedSeed(seed));
    return generator.generateKeyPair().getPublic();
  }

  /** A SecureRandom that returns one fixed seed, to re-derive a key pair from its private seed. */
  private static final class FixedSeed extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }

  public static PublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
  }

  public static String toPem(Key key) {
    String label = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
    String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded());
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] der(String pem, String label) throws GeneralSecurityException {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new GeneralSecurityException("not a PEM '" + label + "' block");
    }
    String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the PEM '" + label + "' block is not base64");
    }
  }
}
