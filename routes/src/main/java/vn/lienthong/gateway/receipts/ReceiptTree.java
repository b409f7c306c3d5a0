package vn.lienthong.gateway.receipts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree over a batch of receipts (RFC 6962 §2.1 hashing, SHA-256): a leaf is
 * {@code SHA-256(0x00 || receipt JSON)}, a node {@code SHA-256(0x01 || left || right)}; a level of
 * odd size carries its last node up unchanged. A receipt's audit path lists, from the leaf up, each
 * sibling and the side it sits on. The audit log chains its batches over the same tree (one
 * Merkle root per batch of audit records), so there is one implementation of the hashing.
 */
public final class ReceiptTree {

    /** One step of an audit path: the sibling's hash and whether it is the left one. */
    public record Step(byte[] sibling, boolean left) {
    }

    private final List<byte[][]> levels = new ArrayList<>();

    /** The tree over these receipts (JSON bytes each), in order; at least one. */
    public ReceiptTree(List<byte[]> receipts) {
        if (receipts.isEmpty()) {
            throw new IllegalArgumentException("a receipt tree has at least one leaf");
        }
        byte[][] level = new byte[receipts.size()][];
        for (int i = 0; i < level.length; i++) {
            level[i] = leaf(receipts.get(i));
        }
        levels.add(level);
        while (level.length > 1) {
            byte[][] up = new byte[(level.length + 1) / 2][];
            for (int i = 0; i < up.length; i++) {
                up[i] = 2 * i + 1 < level.length ? node(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.add(up);
            level = up;
        }
    }

    /** The root hash. */
    public byte[] root() {
        return levels.get(levels.size() - 1)[0].clone();
    }

    /** The audit path of leaf {@code index}, from the leaf up. */
    public List<Step> path(int index) {
        List<Step> path = new ArrayList<>();
        int at = index;
        for (int l = 0; l < levels.size() - 1; l++) {
            byte[][] level = levels.get(l);
            int sibling = at ^ 1;
            if (sibling < level.length) {
                path.add(new Step(level[sibling].clone(), sibling < at));
            }
            at /= 2;
        }
        return path;
    }

    /** The root a receipt and its audit path lead to. */
    public static byte[] rootOf(byte[] receipt, List<Step> path) {
        byte[] hash = leaf(receipt);
        for (Step step : path) {
            hash = step.left() ? node(step.sibling(), hash) : node(hash, step.sibling());
        }
        return hash;
    }

    /** Whether a receipt and its path lead to {@code root}. */
    public static boolean leadsTo(byte[] receipt, List<Step> path, byte[] root) {
        return MessageDigest.isEqual(rootOf(receipt, path), root);
    }

    /** {@code SHA-256(0x00 || receipt)}. */
    static byte[] leaf(byte[] receipt) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        return sha.digest(receipt);
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    static byte[] node(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ReceiptTree[" + levels.get(0).length + " leaves, root " + HexFormat.of().formatHex(root()) + "]";
    }
}
