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
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

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
   * The public key of an Ed25519 private key: derived from its 32-byte seed (RFC 8032) by
   * BouncyCastle, since the JDK has no call for it, and returned as the JDK's key.
   */
  public static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
    if (!(key instanceof java.security.interfaces.EdECPrivateKey ed)) {
      throw new GeneralSecurityException("not an Ed25519 private key");
    }
    byte[] seed = ed.getBytes().orElseThrow(() -> new GeneralSecurityException("the private key has no seed"));
    Ed25519PublicKeyParameters derived = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey();
    try {
      byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(derived).getEncoded();
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot encode the derived public key", e);
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
