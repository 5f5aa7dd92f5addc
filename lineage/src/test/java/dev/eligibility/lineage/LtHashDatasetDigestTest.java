package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The v2 dataset digest (LtHash16, 1024 lanes, AES-256-CTR expansion) against a plain lane loop. */
class LtHashDatasetDigestTest {

  private static final HexFormat HEX = HexFormat.of();

  static List<byte[]> rows(int n, long seed) {
    Random random = new Random(seed);
    List<byte[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Sha256.of(("row-" + random.nextLong()).getBytes(StandardCharsets.UTF_8)));
    }
    return rows;
  }

  static String digest(List<byte[]> rows) {
    DatasetDigest digest = DigestAlgorithm.LTHASH_V2.empty();
    rows.forEach(digest::add);
    return digest.hex();
  }

  /**
   * The published formula, one lane at a time in ints: each row's 2048 keystream bytes read as
   * 1024 little-endian uint16, summed modulo 2^16, written back little-endian and hashed with the
   * tag and the big-endian count.
   */
  static String reference(List<byte[]> rows) {
    int[] lanes = new int[1024];
    for (byte[] row : rows) {
      byte[] stream = LtHashDatasetDigest.keystream(row, new byte[16], 2048);
      for (int i = 0; i < 1024; i++) {
        int lane = (stream[2 * i] & 0xff) | (stream[2 * i + 1] & 0xff) << 8;
        lanes[i] = (lanes[i] + lane) % 65536;
      }
    }
    byte[] state = new byte[2048];
    for (int i = 0; i < 1024; i++) {
      state[2 * i] = (byte) lanes[i];
      state[2 * i + 1] = (byte) (lanes[i] >>> 8);
    }
    byte[] count = ByteBuffer.allocate(8).putLong(rows.size()).array();
    return Sha256.hex(Sha256.of("eligibility-dataset-digest/v2".getBytes(StandardCharsets.US_ASCII), count, state));
  }

  @Test
  void theExpansionIsAes256CtrAsNistSp80038aPublishesIt() {
    // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt: the keystream is each ciphertext block XOR its plaintext block.
    byte[] key = HEX.parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    byte[] counter = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    byte[] plaintext = HEX.parseHex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    byte[] ciphertext = HEX.parseHex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        + "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
    byte[] stream = LtHashDatasetDigest.keystream(key, counter, 64);
    for (int i = 0; i < 64; i++) {
      assertThat((byte) (stream[i] ^ plaintext[i])).as("byte %d", i).isEqualTo(ciphertext[i]);
    }
  }

  @Test
  void theDigestIsThePublishedFormula() {
    assertThat(digest(rows(300, 1))).isEqualTo(reference(rows(300, 1)));
    assertThat(digest(List.of())).isEqualTo(reference(List.of()));
    assertThat(digest(rows(1, 2))).isEqualTo(reference(rows(1, 2)));
  }

  @Test
  void theDigestIgnoresOrderAndPartitioning() {
    List<byte[]> rows = rows(400, 3);
    String ordered = digest(rows);
    List<byte[]> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(digest(shuffled)).isEqualTo(ordered);
    for (int parts : new int[] {2, 3, 7}) {
      List<DatasetDigest> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(DigestAlgorithm.LTHASH_V2.empty());
      }
      for (int i = 0; i < shuffled.size(); i++) {
        partials.get(i % parts).add(shuffled.get(i));
      }
      DatasetDigest merged = DigestAlgorithm.LTHASH_V2.empty();
      partials.forEach(merged::merge);
      assertThat(merged.hex()).as("%d partitions", parts).isEqualTo(ordered);
    }
  }

  @Test
  void removingRowsUndoesAddingThemInAnyOrder() {
    List<byte[]> rows = rows(120, 4);
    List<byte[]> extra = rows(30, 5);
    DatasetDigest digest = DigestAlgorithm.LTHASH_V2.empty();
    extra.forEach(digest::add);
    rows.forEach(digest::add);
    List<byte[]> removed = new ArrayList<>(extra);
    Collections.shuffle(removed, new Random(9));
    removed.forEach(digest::remove);
    assertThat(digest.hex()).isEqualTo(reference(rows));
    assertThat(digest.count()).isEqualTo(120);
    // Removing a row never added and adding it back is the identity too (lanes wrap modulo 2^16).
    DatasetDigest empty = DigestAlgorithm.LTHASH_V2.empty();
    empty.remove(extra.get(0)).add(extra.get(0));
    assertThat(empty.hex()).isEqualTo(reference(List.of()));
  }

  @Test
  void laneArithmeticWrapsEachLaneOnItsOwn() {
    long[] samples = {0L, -1L, 0x8000_8000_8000_8000L, 0x7fff_7fff_7fff_7fffL, 0xffff_0000_ffff_0001L, 0x1234_abcd_8001_7ffeL};
    for (long x : samples) {
      for (long y : samples) {
        long sum = LtHashDatasetDigest.addLanes(x, y);
        long difference = LtHashDatasetDigest.subtractLanes(x, y);
        for (int lane = 0; lane < 4; lane++) {
          int shift = 16 * lane;
          long a = (x >>> shift) & 0xffff;
          long b = (y >>> shift) & 0xffff;
          assertThat((sum >>> shift) & 0xffff).isEqualTo((a + b) & 0xffff);
          assertThat((difference >>> shift) & 0xffff).isEqualTo((a - b) & 0xffff);
        }
      }
    }
  }

  @Test
  void aDigestRebuiltFromItsStateAndCountIsTheSame() {
    List<byte[]> rows = rows(50, 6);
    DatasetDigest left = DigestAlgorithm.LTHASH_V2.empty();
    DatasetDigest right = DigestAlgorithm.LTHASH_V2.empty();
    rows.subList(0, 20).forEach(left::add);
    rows.subList(20, 50).forEach(right::add);
    DatasetDigest resumed = DigestAlgorithm.LTHASH_V2.ofState(left.state(), 20)
        .merge(DigestAlgorithm.LTHASH_V2.ofState(right.state(), 30));
    assertThat(resumed.hex()).isEqualTo(reference(rows));
    assertThat(left.state()).hasSize(2048);
    assertThatIllegalArgumentException().isThrownBy(() -> DigestAlgorithm.LTHASH_V2.ofState(new byte[32], 1));
  }

  @Test
  void digestsOfTheTwoAlgorithmsDoNotMerge() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DigestAlgorithm.LTHASH_V2.empty().merge(DigestAlgorithm.ADDITIVE_V1.empty()))
        .withMessageContaining("ADDITIVE_V1");
  }

  @Test
  void aRowThatChangesByOneBitChangesTheDigestAndARepeatedRowCounts() {
    List<byte[]> rows = rows(10, 8);
    String base = digest(rows);
    byte[] flipped = rows.get(4).clone();
    flipped[31] ^= 1;
    List<byte[]> changed = new ArrayList<>(rows);
    changed.set(4, flipped);
    assertThat(digest(changed)).isNotEqualTo(base);
    List<byte[]> repeated = new ArrayList<>(rows);
    repeated.add(rows.get(0));
    assertThat(digest(repeated)).isNotEqualTo(base);
    assertThatIllegalArgumentException().isThrownBy(() -> DigestAlgorithm.LTHASH_V2.empty().add(new byte[31]));
  }

  @Test
  void eachRecordFormatNamesItsAlgorithm() {
    assertThat(DigestAlgorithm.ofRecordFormat("eligibility-run-record/v6")).isEqualTo(DigestAlgorithm.ADDITIVE_V1);
    assertThat(DigestAlgorithm.ofRecordFormat(RunRecord.FORMAT_VERSION)).isEqualTo(DigestAlgorithm.LTHASH_V2);
    assertThatIllegalArgumentException().isThrownBy(() -> DigestAlgorithm.ofRecordFormat("eligibility-run-record/v5"));
  }
}
