package dev.eligibility.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipProofTest {

  static final List<String> IDS = List.of("api-001", "api-002", "lic-001", "rev-001", "web-001", "web-002");
  static final String ROOT = Sha256.hex(MerkleTree.root(IDS.stream().map(MerkleTree::leafHash).toList()));

  @Test
  void everyMemberHasAnInclusionProof() {
    for (String id : IDS) {
      MembershipProof proof = MembershipProof.prove(IDS, id);
      assertThat(proof.included()).isTrue();
      assertThat(proof.failureAgainst(ROOT, 6, false)).as(id).isNull();
    }
  }

  @Test
  void absentIdsHaveNonInclusionProofsInTheMiddleAndAtBothEnds() {
    for (String id : List.of("api-0015", "aaa", "zzz", "web-001x")) {
      MembershipProof proof = MembershipProof.prove(IDS, id);
      assertThat(proof.included()).isFalse();
      assertThat(proof.failureAgainst(ROOT, 6, false)).as(id).isNull();
    }
    assertThat(MembershipProof.prove(IDS, "aaa").leaves()).hasSize(1);
    assertThat(MembershipProof.prove(IDS, "lic-000").leaves()).extracting(MembershipProof.ProvenLeaf::recordId)
        .containsExactly("api-002", "lic-001");
  }

  @Test
  void anEmptySetProvesAbsenceByItsRootAlone() {
    MembershipProof proof = MembershipProof.prove(List.of(), "x");
    assertThat(proof.failureAgainst(Sha256.hex(Sha256.of()), 0, false)).isNull();
    assertThat(proof.failureAgainst(ROOT, 6, false)).isNotNull();
  }

  @Test
  void theTreeSizeComesFromTheManifestNotFromTheProof() {
    MembershipProof proof = MembershipProof.prove(IDS, "web-001");
    MembershipProof resized = new MembershipProof(proof.recordId(), true, 7, proof.leaves());
    assertThat(resized.failureAgainst(ROOT, 6, false)).isEqualTo("the proof is for a tree of 7 leaves, the manifest's has 6");
    assertThat(proof.failureAgainst(ROOT, 7, false)).isEqualTo("the proof is for a tree of 6 leaves, the manifest's has 7");
  }

  @Test
  void forgedProofsAreRejected() {
    MembershipProof real = MembershipProof.prove(IDS, "lic-000");
    // Claim that an absent id is present.
    MembershipProof claimsInclusion = new MembershipProof("lic-000", true, real.treeSize(), real.leaves().subList(0, 1));
    assertThat(claimsInclusion.failureAgainst(ROOT, 6, false)).isEqualTo("an inclusion proof must prove the record's own leaf");
    // Hide a present id behind two real leaves that are not adjacent.
    MembershipProof wide = new MembershipProof("lic-001", false, 6, List.of(
        MembershipProof.prove(IDS, "api-002").leaves().get(0), MembershipProof.prove(IDS, "rev-001").leaves().get(0)));
    assertThat(wide.failureAgainst(ROOT, 6, false)).isEqualTo("the two leaves are not adjacent neighbours of the record id");
    // A proof against another run's root.
    List<String> other = new ArrayList<>(IDS);
    other.add("web-003");
    String otherRoot = Sha256.hex(MerkleTree.root(other.stream().map(MerkleTree::leafHash).toList()));
    assertThat(MembershipProof.prove(IDS, "web-001").failureAgainst(otherRoot, 6, false)).contains("is not in the tree");
  }

  // ---- record format v7: each leaf binds its row's digest ----------------------------------------

  static final List<byte[]> ROW_DIGESTS = IDS.stream().map(id -> Sha256.of(("row of " + id).getBytes())).toList();
  static final String BOUND_ROOT = Sha256.hex(MerkleTree.root(boundLeaves(ROW_DIGESTS)));

  static List<byte[]> boundLeaves(List<byte[]> rowDigests) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < IDS.size(); i++) {
      leaves.add(MerkleTree.leafHash(IDS.get(i), rowDigests.get(i)));
    }
    return leaves;
  }

  @Test
  void aLeafOfIdAndRowDigestIsTheLengthPrefixedIdThenTheDigest() {
    byte[] digest = ROW_DIGESTS.get(0);
    byte[] leaf = new byte[1 + 3 + 7 + 32];
    leaf[0] = 0;
    System.arraycopy("7:api-001".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, leaf, 1, 9);
    System.arraycopy(digest, 0, leaf, 10, 32);
    assertThat(MerkleTree.leafHash("api-001", digest)).isEqualTo(Sha256.of(java.util.Arrays.copyOf(leaf, 42)));
  }

  @Test
  void proofsOfBoundLeavesNameTheRowDigestAndHoldOnlyWithIt() {
    for (String id : List.of("api-001", "rev-001", "web-002", "aaa", "lic-000", "zzz")) {
      MembershipProof proof = MembershipProof.prove(IDS, ROW_DIGESTS, id);
      assertThat(proof.failureAgainst(BOUND_ROOT, 6, true)).as(id).isNull();
      assertThat(proof.leaves()).allSatisfy(leaf -> assertThat(leaf.rowDigest()).hasSize(64));
      // The same ids under the v6 rule (no digest) are refused, and an id-only proof does not hold here.
      assertThat(proof.failureAgainst(BOUND_ROOT, 6, false)).as(id).contains("names a row digest");
      assertThat(MembershipProof.prove(IDS, id).failureAgainst(BOUND_ROOT, 6, true)).as(id).contains("names no row digest");
    }
    MembershipProof included = MembershipProof.prove(IDS, ROW_DIGESTS, "rev-001");
    assertThat(included.leaves().get(0).rowDigest()).isEqualTo(Sha256.hex(ROW_DIGESTS.get(3)));
  }

  @Test
  void aRowWhoseContentChangedByOneByteChangesItsLeafAndTheRoot() {
    List<byte[]> changed = new ArrayList<>(ROW_DIGESTS);
    changed.set(2, Sha256.of("row of lic-001".getBytes(), new byte[] {1}));
    assertThat(MerkleTree.leafHash("lic-001", changed.get(2))).isNotEqualTo(MerkleTree.leafHash("lic-001", ROW_DIGESTS.get(2)));
    assertThat(Sha256.hex(MerkleTree.root(boundLeaves(changed)))).isNotEqualTo(BOUND_ROOT);
    // A proof that names another row digest for the same id does not hold against the run's root.
    MembershipProof honest = MembershipProof.prove(IDS, ROW_DIGESTS, "lic-001");
    MembershipProof.ProvenLeaf leaf = honest.leaves().get(0);
    MembershipProof swapped = new MembershipProof("lic-001", true, 6, List.of(
        new MembershipProof.ProvenLeaf("lic-001", Sha256.hex(changed.get(2)), leaf.index(), leaf.path())));
    assertThat(swapped.failureAgainst(BOUND_ROOT, 6, true)).contains("is not in the tree");
    MembershipProof malformed = new MembershipProof("lic-001", true, 6, List.of(
        new MembershipProof.ProvenLeaf("lic-001", "abcd", leaf.index(), leaf.path())));
    assertThat(malformed.failureAgainst(BOUND_ROOT, 6, true)).contains("not 32 bytes of hex");
  }
}
