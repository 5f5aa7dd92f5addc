package dev.eligibility.lineage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a record id is, or is not, in a run's eligible set, checkable against the Merkle
 * root in the run's manifest with no access to the data.
 *
 * <p>Inclusion: the id's leaf and its audit path. Non-inclusion: the neighbouring leaves between
 * which the id would sit in sorted order (or the single first or last leaf, when the id sorts
 * before or after every leaf), each with its audit path; adjacent indices show nothing lies
 * between them. An empty tree proves non-inclusion of every id by its root alone.
 *
 * @param recordId the id the proof is about
 * @param included whether it claims inclusion
 * @param treeSize leaves in the tree
 * @param leaves the proven leaves: one for inclusion, up to two for non-inclusion, in order
 */
public record MembershipProof(String recordId, boolean included, long treeSize, List<ProvenLeaf> leaves) {

  public MembershipProof {
    Objects.requireNonNull(recordId, "recordId");
    leaves = List.copyOf(leaves);
  }

  /**
   * One leaf with its audit path.
   *
   * @param recordId the leaf's record id
   * @param rowDigest hex SHA-256 of the row's canonical encoding, which the leaf binds (record
   *     format v7); null for a leaf of the record id alone (v6)
   * @param index its position in sorted order
   * @param path the audit path, hex, leaf-side first
   */
  public record ProvenLeaf(String recordId, String rowDigest, long index, List<String> path) {
    public ProvenLeaf {
      Objects.requireNonNull(recordId, "recordId");
      path = List.copyOf(path);
    }

    /** The leaf's hash: of the id and the row digest, or of the id alone. */
    byte[] leafHash() {
      return rowDigest == null ? MerkleTree.leafHash(recordId) : MerkleTree.leafHash(recordId, Sha256.unhex(rowDigest));
    }
  }

  /**
   * The proof for {@code recordId} over {@code sortedIds} (ascending UTF-8 byte order, unique),
   * leaves of the record ids alone (record format v6).
   */
  public static MembershipProof prove(List<String> sortedIds, String recordId) {
    return prove(sortedIds, null, recordId);
  }

  /**
   * The proof for {@code recordId} over {@code sortedIds} (ascending UTF-8 byte order, unique),
   * each leaf binding the row digest at the same position of {@code rowDigests} (record format v7),
   * or the id alone when {@code rowDigests} is null.
   */
  public static MembershipProof prove(List<String> sortedIds, List<byte[]> rowDigests, String recordId) {
    List<byte[]> leaves = new ArrayList<>(sortedIds.size());
    for (int i = 0; i < sortedIds.size(); i++) {
      leaves.add(rowDigests == null ? MerkleTree.leafHash(sortedIds.get(i))
          : MerkleTree.leafHash(sortedIds.get(i), rowDigests.get(i)));
    }
    int low = 0;
    int high = sortedIds.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order = MerkleTree.compareIds(sortedIds.get(middle), recordId);
      if (order == 0) {
        return new MembershipProof(recordId, true, leaves.size(), List.of(leaf(sortedIds, rowDigests, leaves, middle)));
      }
      if (order < 0) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    // Not present: it would sit at index `low`, between leaves low - 1 and low.
    List<ProvenLeaf> neighbours = new ArrayList<>();
    if (low > 0) {
      neighbours.add(leaf(sortedIds, rowDigests, leaves, low - 1));
    }
    if (low < sortedIds.size()) {
      neighbours.add(leaf(sortedIds, rowDigests, leaves, low));
    }
    return new MembershipProof(recordId, false, leaves.size(), neighbours);
  }

  private static ProvenLeaf leaf(List<String> ids, List<byte[]> rowDigests, List<byte[]> leaves, int index) {
    return new ProvenLeaf(ids.get(index), rowDigests == null ? null : Sha256.hex(rowDigests.get(index)), index,
        MerkleTree.inclusionPath(leaves, index).stream().map(Sha256::hex).toList());
  }

  /**
   * Checks this proof against a Merkle root (hex) and tree size, both taken from a trusted
   * manifest: an audit path alone does not fix the tree's size (RFC 9162), so a size read from
   * the proof itself could hide the last leaves.
   *
   * @param leavesBindRowDigests whether the manifest's tree has leaves of ids and row digests
   *     ({@link RunRecord#leavesBindRowDigests}): every proven leaf must then name its row digest,
   *     and otherwise none may
   * @return null when the proof holds, else why it does not
   */
  public String failureAgainst(String rootHex, long trustedTreeSize, boolean leavesBindRowDigests) {
    if (treeSize != trustedTreeSize) {
      return "the proof is for a tree of " + treeSize + " leaves, the manifest's has " + trustedTreeSize;
    }
    byte[] root;
    try {
      root = Sha256.unhex(rootHex);
    } catch (IllegalArgumentException e) {
      return "the root is not hex";
    }
    for (ProvenLeaf leaf : leaves) {
      if ((leaf.rowDigest() != null) != leavesBindRowDigests) {
        return leavesBindRowDigests
            ? "leaf " + leaf.index() + " ('" + leaf.recordId() + "') names no row digest; the manifest's leaves bind one"
            : "leaf " + leaf.index() + " ('" + leaf.recordId() + "') names a row digest; the manifest's leaves are ids alone";
      }
      byte[] leafHash;
      try {
        leafHash = leaf.leafHash();
      } catch (IllegalArgumentException e) {
        return "the row digest of leaf " + leaf.index() + " is not 32 bytes of hex";
      }
      List<byte[]> path = new ArrayList<>();
      try {
        leaf.path().forEach(p -> path.add(Sha256.unhex(p)));
      } catch (IllegalArgumentException e) {
        return "the audit path of leaf " + leaf.index() + " is not hex";
      }
      if (!MerkleTree.verifyInclusion(leafHash, leaf.index(), treeSize, path, root)) {
        return "leaf " + leaf.index() + " ('" + leaf.recordId() + "') is not in the tree with this root";
      }
    }
    if (included) {
      if (leaves.size() != 1 || !leaves.get(0).recordId().equals(recordId)) {
        return "an inclusion proof must prove the record's own leaf";
      }
      return null;
    }
    if (treeSize == 0) {
      return leaves.isEmpty() && rootHex.equalsIgnoreCase(Sha256.hex(Sha256.of())) ? null
          : "an empty tree has the root of no leaves and no leaves to prove";
    }
    if (leaves.size() == 2) {
      ProvenLeaf before = leaves.get(0);
      ProvenLeaf after = leaves.get(1);
      boolean adjacent = after.index() == before.index() + 1;
      boolean between = MerkleTree.compareIds(before.recordId(), recordId) < 0
          && MerkleTree.compareIds(recordId, after.recordId()) < 0;
      return adjacent && between ? null : "the two leaves are not adjacent neighbours of the record id";
    }
    if (leaves.size() == 1) {
      ProvenLeaf only = leaves.get(0);
      if (only.index() == 0 && MerkleTree.compareIds(recordId, only.recordId()) < 0) {
        return null;
      }
      if (only.index() == treeSize - 1 && MerkleTree.compareIds(only.recordId(), recordId) < 0) {
        return null;
      }
      return "one leaf proves absence only as the first leaf (id sorts before it) or the last (after it)";
    }
    return "a non-inclusion proof needs one or two neighbouring leaves";
  }
}
