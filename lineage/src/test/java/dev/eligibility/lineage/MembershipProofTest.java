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
      assertThat(proof.failureAgainst(ROOT, 6)).as(id).isNull();
    }
  }

  @Test
  void absentIdsHaveNonInclusionProofsInTheMiddleAndAtBothEnds() {
    for (String id : List.of("api-0015", "aaa", "zzz", "web-001x")) {
      MembershipProof proof = MembershipProof.prove(IDS, id);
      assertThat(proof.included()).isFalse();
      assertThat(proof.failureAgainst(ROOT, 6)).as(id).isNull();
    }
    assertThat(MembershipProof.prove(IDS, "aaa").leaves()).hasSize(1);
    assertThat(MembershipProof.prove(IDS, "lic-000").leaves()).extracting(MembershipProof.ProvenLeaf::recordId)
        .containsExactly("api-002", "lic-001");
  }

  @Test
  void anEmptySetProvesAbsenceByItsRootAlone() {
    MembershipProof proof = MembershipProof.prove(List.of(), "x");
    assertThat(proof.failureAgainst(Sha256.hex(Sha256.of()), 0)).isNull();
    assertThat(proof.failureAgainst(ROOT, 6)).isNotNull();
  }

  @Test
  void theTreeSizeComesFromTheManifestNotFromTheProof() {
    MembershipProof proof = MembershipProof.prove(IDS, "web-001");
    MembershipProof resized = new MembershipProof(proof.recordId(), true, 7, proof.leaves());
    assertThat(resized.failureAgainst(ROOT, 6)).isEqualTo("the proof is for a tree of 7 leaves, the manifest's has 6");
    assertThat(proof.failureAgainst(ROOT, 7)).isEqualTo("the proof is for a tree of 6 leaves, the manifest's has 7");
  }

  @Test
  void forgedProofsAreRejected() {
    MembershipProof real = MembershipProof.prove(IDS, "lic-000");
    // Claim that an absent id is present.
    MembershipProof claimsInclusion = new MembershipProof("lic-000", true, real.treeSize(), real.leaves().subList(0, 1));
    assertThat(claimsInclusion.failureAgainst(ROOT, 6)).isEqualTo("an inclusion proof must prove the record's own leaf");
    // Hide a present id behind two real leaves that are not adjacent.
    MembershipProof wide = new MembershipProof("lic-001", false, 6, List.of(
        MembershipProof.prove(IDS, "api-002").leaves().get(0), MembershipProof.prove(IDS, "rev-001").leaves().get(0)));
    assertThat(wide.failureAgainst(ROOT, 6)).isEqualTo("the two leaves are not adjacent neighbours of the record id");
    // A proof against another run's root.
    List<String> other = new ArrayList<>(IDS);
    other.add("web-003");
    String otherRoot = Sha256.hex(MerkleTree.root(other.stream().map(MerkleTree::leafHash).toList()));
    assertThat(MembershipProof.prove(IDS, "web-001").failureAgainst(otherRoot, 6)).contains("is not in the tree");
  }
}
