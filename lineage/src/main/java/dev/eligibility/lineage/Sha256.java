package dev.eligibility.lineage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and hex, the two primitives every digest of this library is built from. */
public final class Sha256 {

  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  /** SHA-256 of the concatenation of {@code parts}. */
  public static byte[] of(byte[]... parts) {
    MessageDigest digest = newDigest();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * Parses lower- or upper-case hex.
   *
   * @throws IllegalArgumentException if {@code text} is not hex of even length
   */
  public static byte[] unhex(String text) {
    return HEX.parseHex(text);
  }
}
