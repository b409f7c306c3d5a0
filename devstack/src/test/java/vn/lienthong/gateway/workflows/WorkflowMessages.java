package vn.lienthong.gateway.workflows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.function.Consumer;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/** The workflow tests' messages: bundled examples with a fresh messageId, edited, and their canonical bytes. */
final class WorkflowMessages {

    private WorkflowMessages() {
    }

    /** A bundled example with a fresh messageId, edited. */
    static Envelope message(String example, Consumer<ObjectNode> edit) {
        try (InputStream in = WorkflowMessages.class.getClassLoader()
                .getResourceAsStream("lienthong/examples/v1/" + example)) {
            ObjectNode node = (ObjectNode) CanonicalJson.mapper().readTree(in);
            node.put("messageId", UUID.randomUUID().toString());
            edit.accept(node);
            return CanonicalJson.mapper().treeToValue(node, Envelope.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message's canonical JSON bytes. */
    static byte[] canonical(Envelope message) {
        try {
            return CanonicalJson.mapper().writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
