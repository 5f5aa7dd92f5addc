package dev.eligibility.jobs.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.Sha256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The root hashed in partitions equals the plain-Java root over the ids in unsigned UTF-8 order. */
class MerkleRootsTest {

  static String reference(List<String> ids) {
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(MerkleTree::compareIds);
    return Sha256.hex(MerkleTree.root(sorted.stream().map(MerkleTree::leafHash).toList()));
  }

  static Dataset<Row> frame(List<String> ids) {
    return TestSpark.session().createDataset(ids, Encoders.STRING()).toDF("record_id");
  }

  @Test
  void theRootDoesNotDependOnHowTheIdsArePartitioned() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ids.add("rec-" + i);
    }
    ids.add("\uFFFD");
    ids.add("\uD83D\uDE00");
    ids.add("");
    Collections.shuffle(ids, new Random(3));
    String expected = reference(ids);
    for (int partitions : new int[] {1, 3, 7, 16}) {
      assertThat(MerkleRoots.ofRecordIds(frame(ids).repartition(partitions), "record_id")).isEqualTo(expected);
    }
  }

  /** Leaves of ids and row digests: the plain-Java root, however the rows are partitioned. */
  @Test
  void leavesThatBindRowDigestsGiveThePlainJavaRoot() {
    List<Row> rows = new ArrayList<>();
    java.util.Map<String, byte[]> digests = new java.util.TreeMap<>(MerkleTree::compareIds);
    for (int i = 0; i < 300; i++) {
      String id = i == 7 ? "\uD83D\uDE00" : "rec-" + i;
      byte[] digest = Sha256.of(("content of " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digests.put(id, digest);
      rows.add(org.apache.spark.sql.RowFactory.create(id, digest));
    }
    Collections.shuffle(rows, new Random(5));
    String expected = Sha256.hex(MerkleTree.root(digests.entrySet().stream()
        .map(e -> MerkleTree.leafHash(e.getKey(), e.getValue())).toList()));
    Dataset<Row> frame = TestSpark.session().createDataFrame(rows, LeafFiles.SCHEMA);
    for (int partitions : new int[] {1, 4}) {
      assertThat(MerkleRoots.ofLeaves(frame.repartition(partitions), "record_id", "row_digest")).isEqualTo(expected);
    }
    assertThat(MerkleRoots.ofLeaves(frame, "record_id", "row_digest")).isNotEqualTo(
        MerkleRoots.ofRecordIds(frame, "record_id"));
  }

  @Test
  void smallAndEmptySetsGiveTheirRoots() {
    assertThat(MerkleRoots.ofRecordIds(frame(List.of()), "record_id")).isEqualTo(reference(List.of()));
    assertThat(MerkleRoots.ofRecordIds(frame(List.of("only")), "record_id")).isEqualTo(reference(List.of("only")));
    List<String> three = List.of("c", "a", "b");
    assertThat(MerkleRoots.ofRecordIds(frame(three).repartition(3), "record_id")).isEqualTo(reference(three));
  }
}
