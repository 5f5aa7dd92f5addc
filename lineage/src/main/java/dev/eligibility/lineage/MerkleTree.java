package dev.eligibility.lineage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Merkle trees exactly as RFC 6962 / RFC 9162 (Certificate Transparency) define them, so that a
 * root or a proof can be checked with any CT library:
 *
 * <ul>
 *   <li>leaf hash {@code SHA-256(0x00 || leaf)}, node hash {@code SHA-256(0x01 || left || right)};
 *   <li>the tree over {@code n} leaves splits at the largest power of two below {@code n};
 *   <li>the root of the empty tree is {@code SHA-256("")}.
 * </ul>
 *
 * <p>Here a leaf is a record id's UTF-8 bytes, and leaves are in ascending unsigned byte order
 * (the order Spark sorts strings in), which is what makes non-inclusion provable.
 */
public final class MerkleTree {

  private static final byte[] LEAF_PREFIX = {0x00};
  private static final byte[] NODE_PREFIX = {0x01};

  private MerkleTree() {}

  public static byte[] leafHash(byte[] leaf) {
    return Sha256.of(LEAF_PREFIX, leaf);
  }

  /** The leaf hash of a record id: the leaves of run records up to format v6. */
  public static byte[] leafHash(String recordId) {
    return leafHash(recordId.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The leaf hash of a record id and its row's 32-byte digest, the leaves from record format v7:
   * the leaf is {@code len(id) ":" id || row_digest}, the length in UTF-8 bytes and decimal, so a
   * proof of the id's inclusion also proves which content the run took for it.
   */
  public static byte[] leafHash(String recordId, byte[] rowDigest) {
    if (rowDigest == null || rowDigest.length != 32) {
      throw new IllegalArgumentException("a row digest has 32 bytes, not " + (rowDigest == null ? "none" : rowDigest.length));
    }
    byte[] id = recordId.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = (id.length + ":").getBytes(StandardCharsets.US_ASCII);
    return Sha256.of(LEAF_PREFIX, prefix, id, rowDigest);
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    return Sha256.of(NODE_PREFIX, left, right);
  }

  /** The root over leaf hashes, in order. */
  public static byte[] root(List<byte[]> leafHashes) {
    RootBuilder builder = new RootBuilder();
    leafHashes.forEach(builder::add);
    return builder.root();
  }

  /** Compares record ids as Spark does: by their UTF-8 bytes, unsigned. */
  public static int compareIds(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Builds a root from leaf hashes streamed in order, holding O(log n) hashes: the tree of
   * {@code n} leaves is its perfect subtrees of decreasing size, folded from the right.
   */
  public static final class RootBuilder {
    private final Deque<byte[]> subtreeRoots = new ArrayDeque<>();
    private final Deque<Long> subtreeSizes = new ArrayDeque<>();
    private long size;

    public RootBuilder add(byte[] leafHash) {
      return addSubtree(1, leafHash);
    }

    /**
     * Adds the next {@code width} leaves at once, given as the root of their perfect subtree (a
     * {@link Part}'s output). The subtree must be aligned: {@code width} a power of two dividing
     * the number of leaves added so far, as every subtree a {@link Part} returns is.
     *
     * @throws IllegalArgumentException if the subtree is not aligned
     */
    public RootBuilder addSubtree(long width, byte[] subtreeRoot) {
      if (Long.bitCount(width) != 1 || size % width != 0) {
        throw new IllegalArgumentException("a subtree of " + width + " leaves cannot follow " + size + " leaves");
      }
      byte[] hash = subtreeRoot;
      long merged = width;
      // The stack holds the binary decomposition of size; a top as wide as the new subtree is its sibling.
      while (!subtreeSizes.isEmpty() && subtreeSizes.peekLast() == merged) {
        hash = nodeHash(subtreeRoots.pollLast(), hash);
        subtreeSizes.pollLast();
        merged *= 2;
      }
      subtreeRoots.addLast(hash);
      subtreeSizes.addLast(merged);
      size += width;
      return this;
    }

    public long size() {
      return size;
    }

    public byte[] root() {
      if (subtreeRoots.isEmpty()) {
        return Sha256.of();
      }
      var hashes = new ArrayList<>(subtreeRoots);
      byte[] root = hashes.get(hashes.size() - 1);
      for (int i = hashes.size() - 2; i >= 0; i--) {
        root = nodeHash(hashes.get(i), root);
      }
      return root;
    }
  }

  /** The root of a perfect subtree of {@code width} leaves (a power of two) whose first leaf is leaf {@code start}. */
  public record Subtree(long start, long width, byte[] root) {}

  /**
   * The leaves {@code start, start + 1, ...} of a larger tree (one partition of sorted ids),
   * folded into the roots of the largest aligned perfect subtrees they contain, O(log n) of them.
   * Fed to a {@link RootBuilder} with {@link RootBuilder#addSubtree}, the parts of consecutive
   * ranges give the root of the whole tree, so the hashing can run where the ids are.
   */
  public static final class Part {
    private final Deque<Subtree> subtrees = new ArrayDeque<>();
    private long next;

    public Part(long start) {
      if (start < 0) {
        throw new IllegalArgumentException("a part cannot start at leaf " + start);
      }
      this.next = start;
    }

    public Part add(byte[] leafHash) {
      Subtree subtree = new Subtree(next, 1, leafHash);
      // Merge with the previous subtree while it is the left sibling: as wide and aligned to twice that.
      while (!subtrees.isEmpty() && subtrees.peekLast().width() == subtree.width()
          && subtrees.peekLast().start() % (2 * subtree.width()) == 0) {
        Subtree left = subtrees.pollLast();
        subtree = new Subtree(left.start(), 2 * left.width(), nodeHash(left.root(), subtree.root()));
      }
      subtrees.addLast(subtree);
      next++;
      return this;
    }

    /** The subtrees, leftmost first. */
    public List<Subtree> subtrees() {
      return List.copyOf(subtrees);
    }
  }

  /** The leaves {@code [start, end)} of a tree: one node of its audit paths. */
  public record Range(long start, long end) implements java.io.Serializable {}

  /**
   * The ranges of leaves whose roots make the audit path of leaf {@code index} in a tree of
   * {@code size} leaves, leaf-side first: the path of {@link #inclusionPath} without the leaves,
   * so that the roots can be computed where the leaves are. Each range starts at a multiple of a
   * power of two at least its length, so its aligned subtrees ({@link Part}) are aligned within it.
   */
  public static List<Range> inclusionRanges(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    List<Range> ranges = new ArrayList<>();
    long low = 0;
    long high = size;
    while (high - low > 1) {
      long k = Long.highestOneBit(high - low - 1);
      if (index - low < k) {
        ranges.add(new Range(low + k, high));
        high = low + k;
      } else {
        ranges.add(new Range(low, low + k));
        low = low + k;
      }
    }
    java.util.Collections.reverse(ranges);
    return ranges;
  }

  /** The audit path of leaf {@code index} (RFC 9162, section 2.1.3.1), leaf-side first. */
  public static List<byte[]> inclusionPath(List<byte[]> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + leafHashes.size());
    }
    List<byte[]> path = new ArrayList<>();
    collectPath(leafHashes, index, path);
    return path;
  }

  private static void collectPath(List<byte[]> leaves, int index, List<byte[]> path) {
    int n = leaves.size();
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (index < k) {
      collectPath(leaves.subList(0, k), index, path);
      path.add(root(leaves.subList(k, n)));
    } else {
      collectPath(leaves.subList(k, n), index - k, path);
      path.add(root(leaves.subList(0, k)));
    }
  }

  /**
   * Verifies an inclusion proof (RFC 9162, section 2.1.3.2): that {@code leafHash} is leaf
   * {@code index} of the tree of {@code size} leaves whose root is {@code root}.
   */
  public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
    if (index < 0 || index >= size) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  private static int largestPowerOfTwoBelow(int n) {
    int k = Integer.highestOneBit(n);
    return k == n ? k >> 1 : k;
  }
}
