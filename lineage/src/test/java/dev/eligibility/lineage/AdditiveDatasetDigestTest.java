package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The v1 dataset digest, which run records up to format v6 carry and which must keep verifying. */
class AdditiveDatasetDigestTest {

  static List<byte[]> rows(int n) {
    List<byte[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Sha256.of(("row-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return rows;
  }

  static String digest(List<byte[]> rows) {
    AdditiveDatasetDigest digest = new AdditiveDatasetDigest();
    rows.forEach(digest::add);
    return digest.hex();
  }

  @Test
  void theDigestIgnoresOrderAndPartitioning() {
    List<byte[]> rows = rows(500);
    String ordered = digest(rows);
    List<byte[]> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(digest(shuffled)).isEqualTo(ordered);
    AdditiveDatasetDigest left = new AdditiveDatasetDigest();
    AdditiveDatasetDigest right = new AdditiveDatasetDigest();
    for (int i = 0; i < rows.size(); i++) {
      (i % 3 == 0 ? left : right).add(rows.get(i));
    }
    assertThat(left.merge(right).hex()).isEqualTo(ordered);
  }

  @Test
  void theDigestChangesWhenARowIsAddedRemovedOrRepeated() {
    List<byte[]> rows = rows(10);
    String base = digest(rows);
    assertThat(digest(rows.subList(0, 9))).isNotEqualTo(base);
    List<byte[]> repeated = new ArrayList<>(rows);
    repeated.add(rows.get(0));
    assertThat(digest(repeated)).isNotEqualTo(base);
    assertThat(new AdditiveDatasetDigest().hex()).isNotEqualTo(base);
  }

  /** The published formula, computed with BigInteger: the reference the word arithmetic must match. */
  static String reference(List<byte[]> rows) {
    BigInteger modulus = BigInteger.ONE.shiftLeft(256);
    BigInteger sum = BigInteger.ZERO;
    for (byte[] row : rows) {
      sum = sum.add(new BigInteger(1, row)).mod(modulus);
    }
    byte[] raw = sum.toByteArray();
    byte[] sumBytes = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, sumBytes, 32 - copy, copy);
    byte[] count = ByteBuffer.allocate(8).putLong(rows.size()).array();
    return Sha256.hex(Sha256.of(AdditiveDatasetDigest.ALGORITHM.getBytes(StandardCharsets.US_ASCII), count, sumBytes));
  }

  @Test
  void theDigestIsThePublishedFormula() {
    assertThat(digest(rows(1000))).isEqualTo(reference(rows(1000)));
    assertThat(digest(List.of())).isEqualTo(reference(List.of()));
  }

  @Test
  void carriesCrossWordsAndTheSumWrapsAt2To256() {
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    byte[] one = new byte[32];
    one[31] = 1;
    byte[] lowWordOnes = new byte[32];
    Arrays.fill(lowWordOnes, 24, 32, (byte) 0xff);
    byte[] middle = new byte[32];
    Arrays.fill(middle, 8, 24, (byte) 0xff);
    List<List<byte[]>> cases = List.of(
        List.of(allOnes, one),                 // wraps to zero: every word carries
        List.of(lowWordOnes, one),             // one carry into the next word
        List.of(middle, lowWordOnes, one),     // a carry that ripples through two words
        List.of(allOnes, allOnes, allOnes),
        List.of(allOnes, lowWordOnes, middle, one, one));
    for (List<byte[]> rows : cases) {
      assertThat(digest(rows)).isEqualTo(reference(rows));
    }
    assertThat(digest(List.of(allOnes, one))).isEqualTo(reference(List.of(new byte[32], new byte[32])));
  }

  @Test
  void aDigestRebuiltFromItsSumAndCountIsTheSame() {
    List<byte[]> rows = rows(77);
    AdditiveDatasetDigest digest = new AdditiveDatasetDigest();
    rows.forEach(digest::add);
    assertThat(AdditiveDatasetDigest.ofSum(digest.state(), digest.count()).hex()).isEqualTo(digest.hex()).isEqualTo(reference(rows));
    AdditiveDatasetDigest left = new AdditiveDatasetDigest();
    AdditiveDatasetDigest right = new AdditiveDatasetDigest();
    rows.subList(0, 30).forEach(left::add);
    rows.subList(30, 77).forEach(right::add);
    assertThat(AdditiveDatasetDigest.ofSum(left.state(), 30).merge(AdditiveDatasetDigest.ofSum(right.state(), 47)).hex())
        .isEqualTo(digest.hex());
    assertThatIllegalArgumentException().isThrownBy(() -> AdditiveDatasetDigest.ofSum(new byte[31], 1));
  }

  @Test
  void removingARowUndoesAddingIt() {
    List<byte[]> rows = rows(40);
    AdditiveDatasetDigest digest = new AdditiveDatasetDigest();
    rows.forEach(digest::add);
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    digest.add(allOnes).remove(rows.get(3)).remove(allOnes);
    List<byte[]> without = new ArrayList<>(rows);
    without.remove(3);
    assertThat(digest.hex()).isEqualTo(reference(without));
    assertThat(digest.count()).isEqualTo(39);
  }

  @Test
  void hexRowDigestsGiveTheSameDigestAsBytes() {
    List<byte[]> rows = rows(300);
    AdditiveDatasetDigest fromHex = new AdditiveDatasetDigest();
    rows.forEach(row -> fromHex.addHex(Sha256.hex(row)));
    assertThat(fromHex.hex()).isEqualTo(digest(rows));
    AdditiveDatasetDigest upper = new AdditiveDatasetDigest();
    rows.forEach(row -> upper.addHex(Sha256.hex(row).toUpperCase(Locale.ROOT)));
    assertThat(upper.hex()).isEqualTo(digest(rows));
  }

  @Test
  void aRowDigestThatIsNotSixtyFourHexDigitsIsRefused() {
    AdditiveDatasetDigest digest = new AdditiveDatasetDigest();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> digest.addHex("abc")).withMessageContaining("64 hex digits");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> digest.addHex("g".repeat(64))).withMessageContaining("hex");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> digest.addHex(null));
    assertThat(digest.count()).isZero();
  }
}
