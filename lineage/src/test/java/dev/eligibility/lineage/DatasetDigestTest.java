package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetDigestTest {

  static List<byte[]> rows(int n) {
    List<byte[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Sha256.of(("row-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return rows;
  }

  static String digest(List<byte[]> rows) {
    DatasetDigest digest = new DatasetDigest();
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
    DatasetDigest left = new DatasetDigest();
    DatasetDigest right = new DatasetDigest();
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
    assertThat(new DatasetDigest().hex()).isNotEqualTo(base);
  }

  @Test
  void laneSumsRecombineToTheSameDigest() {
    List<byte[]> rows = rows(300);
    long[] lanes = new long[8];
    for (byte[] row : rows) {
      ByteBuffer buffer = ByteBuffer.wrap(row);
      for (int lane = 0; lane < 8; lane++) {
        lanes[lane] += Integer.toUnsignedLong(buffer.getInt());
      }
    }
    assertThat(new DatasetDigest().addLaneSums(lanes, rows.size()).hex()).isEqualTo(digest(rows));
  }
}
