package vn.lienthong.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Merkle tree over a batch of receipts: every leaf's path leads to the root, an altered leaf's does not. */
class ReceiptTreeTest {

    @Test
    void everyReceiptsPathLeadsToTheRootWhateverTheBatchSize() {
        for (int size = 1; size <= 17; size++) {
            List<byte[]> receipts = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                receipts.add(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            ReceiptTree tree = new ReceiptTree(receipts);
            for (int i = 0; i < size; i++) {
                assertThat(ReceiptTree.leadsTo(receipts.get(i), tree.path(i), tree.root()))
                        .as("leaf %d of %d", i, size).isTrue();
                assertThat(ReceiptTree.leadsTo("{\"n\":-1}".getBytes(StandardCharsets.UTF_8), tree.path(i), tree.root()))
                        .as("an altered leaf %d of %d", i, size).isFalse();
            }
        }
    }

    @Test
    void aLeafCannotPassForANodeNorTwoOrdersForOne() {
        byte[] a = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{\"n\":2}".getBytes(StandardCharsets.UTF_8);
        ReceiptTree ab = new ReceiptTree(List.of(a, b));
        ReceiptTree ba = new ReceiptTree(List.of(b, a));
        assertThat(ab.root()).isNotEqualTo(ba.root());
        // The root is a node hash, never the leaf hash of the same bytes (RFC 6962 prefixes).
        assertThat(ReceiptTree.leaf(a)).isNotEqualTo(new ReceiptTree(List.of(a, a)).root());
        assertThat(new ReceiptTree(List.of(a)).root()).isEqualTo(ReceiptTree.leaf(a));
    }
}
