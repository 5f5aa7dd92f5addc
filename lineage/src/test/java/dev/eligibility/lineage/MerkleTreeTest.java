package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Random;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against the Certificate Transparency (RFC 6962) reference vectors, and exhaustively over sizes. */
class MerkleTreeTest {

  static final List<String> CT_LEAVES = List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
      "606162636465666768696a6b6c6d6e6f");
  static final List<String> CT_ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static List<byte[]> ctLeafHashes() {
    return CT_LEAVES.stream().map(h -> MerkleTree.leafHash(Sha256.unhex(h))).toList();
  }

  @Test
  void rootsMatchTheRfc6962ReferenceForEverySizeUpToEight() {
    List<byte[]> leaves = ctLeafHashes();
    for (int size = 0; size <= 8; size++) {
      assertThat(Sha256.hex(MerkleTree.root(leaves.subList(0, size)))).as("size " + size).isEqualTo(CT_ROOTS.get(size));
    }
  }

  @Test
  void auditPathsMatchTheRfc6962Reference() {
    List<byte[]> leaves = ctLeafHashes();
    assertThat(MerkleTree.inclusionPath(leaves, 0)).extracting(Sha256::hex).containsExactly(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(MerkleTree.inclusionPath(leaves, 5)).extracting(Sha256::hex).containsExactly(
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
  }

  @Test
  void everyLeafOfEveryTreeUpToFortyLeavesVerifiesAndNothingElseDoes() {
    for (int size = 1; size <= 40; size++) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        leaves.add(MerkleTree.leafHash("record-" + i));
      }
      byte[] root = MerkleTree.root(leaves);
      for (int i = 0; i < size; i++) {
        List<byte[]> path = MerkleTree.inclusionPath(leaves, i);
        assertThat(MerkleTree.verifyInclusion(leaves.get(i), i, size, path, root)).isTrue();
        assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash("other"), i, size, path, root)).isFalse();
        // (A path does not fix the tree size by itself: the size must come from the signed manifest.)
        if (size > 1) {
          assertThat(MerkleTree.verifyInclusion(leaves.get(i), (i + 1) % size, size, path, root)).isFalse();
        }
      }
    }
  }

  @Test
  void theRootsOfTheInclusionRangesFoldedFromAlignedPartsAreTheAuditPath() {
    for (int size = 1; size <= 40; size++) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        leaves.add(MerkleTree.leafHash("id-" + i));
      }
      for (int index = 0; index < size; index++) {
        List<String> path = MerkleTree.inclusionPath(leaves, index).stream().map(Sha256::hex).toList();
        List<String> fromRanges = new ArrayList<>();
        for (MerkleTree.Range range : MerkleTree.inclusionRanges(index, size)) {
          // As a cluster computes it: the range cut at arbitrary partition boundaries (every 3
          // leaves), each piece folded into its aligned subtrees, the pieces joined in order.
          MerkleTree.RootBuilder root = new MerkleTree.RootBuilder();
          for (long start = range.start(); start < range.end(); start = Math.min(range.end(), (start / 3 + 1) * 3)) {
            MerkleTree.Part part = new MerkleTree.Part(start);
            for (long leaf = start; leaf < Math.min(range.end(), (start / 3 + 1) * 3); leaf++) {
              part.add(leaves.get((int) leaf));
            }
            part.subtrees().forEach(subtree -> root.addSubtree(subtree.width(), subtree.root()));
          }
          fromRanges.add(Sha256.hex(root.root()));
        }
        assertThat(fromRanges).as("leaf %d of %d", index, size).isEqualTo(path);
      }
    }
  }

  @Test
  void theStreamingBuilderGivesTheSameRootAsTheRecursiveDefinition() {
    MerkleTree.RootBuilder builder = new MerkleTree.RootBuilder();
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] leaf = MerkleTree.leafHash("id-" + i);
      leaves.add(leaf);
      builder.add(leaf);
      if (i % 37 == 0 || i == 999) {
        assertThat(builder.root()).isEqualTo(MerkleTree.root(leaves));
      }
    }
    assertThat(builder.size()).isEqualTo(1000);
  }

  @Test
  void idsCompareByUnsignedUtf8BytesLikeSpark() {
    assertThat(MerkleTree.compareIds("Z", "a")).isNegative();
    // U+FFFD sorts before U+1F600 in UTF-8, though not in Java's UTF-16 order.
    assertThat(MerkleTree.compareIds("\uFFFD", "\uD83D\uDE00")).isNegative();
    assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
  }

  @Test
  void partsOfAnySplitJoinToTheRootOfTheWholeTree() {
    Random random = new Random(11);
    for (int n = 0; n <= 140; n++) {
      List<byte[]> leaves = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        leaves.add(MerkleTree.leafHash("id-" + i));
      }
      byte[] expected = MerkleTree.root(leaves);
      for (int trial = 0; trial < 6; trial++) {
        // Random cut points, empty parts and a part per leaf included.
        List<Integer> cuts = new ArrayList<>(List.of(0, n));
        int extra = trial == 5 ? n : random.nextInt(5);
        for (int c = 0; c < extra; c++) {
          cuts.add(trial == 5 ? c : random.nextInt(n + 1));
        }
        cuts.sort(null);
        MerkleTree.RootBuilder joined = new MerkleTree.RootBuilder();
        for (int c = 0; c + 1 < cuts.size(); c++) {
          MerkleTree.Part part = new MerkleTree.Part(cuts.get(c));
          leaves.subList(cuts.get(c), cuts.get(c + 1)).forEach(part::add);
          for (MerkleTree.Subtree subtree : part.subtrees()) {
            assertThat(subtree.start() % subtree.width()).isZero();
            joined.addSubtree(subtree.width(), subtree.root());
          }
        }
        assertThat(joined.size()).isEqualTo(n);
        assertThat(joined.root()).as("n=%d cuts=%s", n, cuts).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSubtreeThatIsNotAlignedIsRefused() {
    MerkleTree.RootBuilder builder = new MerkleTree.RootBuilder().add(MerkleTree.leafHash("a"));
    byte[] hash = MerkleTree.leafHash("b");
    assertThatIllegalArgumentException().isThrownBy(() -> builder.addSubtree(2, hash));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.addSubtree(3, hash));
    assertThat(builder.addSubtree(1, hash).size()).isEqualTo(2);
    assertThat(builder.addSubtree(2, hash).size()).isEqualTo(4);
  }
}
