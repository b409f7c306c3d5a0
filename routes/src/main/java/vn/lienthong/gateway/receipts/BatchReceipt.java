package vn.lienthong.gateway.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A receipt signed as one of a batch: one line of JSON,
 * {@code {"receipt":B64U(receipt JSON),"path":[{"left"|"right":B64U(hash)},...],"root":JWS}}, where
 * {@code root} is a compact JWS ({@code typ} {@value ReceiptSigner#BATCH_TYPE}) whose payload is
 * {@code {"alg":"SHA-256","leaves":n,"root":B64U(root hash)}}. The receipt is genuine when the JWS
 * verifies with a published key and the receipt's leaf hash, combined with the path's siblings
 * ({@link ReceiptTree}), gives the signed root.
 */
public record BatchReceipt(byte[] receipt, List<ReceiptTree.Step> path, String rootJws) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64U_DECODE = Base64.getUrlDecoder();

    /** Whether these bytes are a batch receipt (JSON) rather than a compact JWS. */
    public static boolean isBatchReceipt(byte[] receipt) {
        for (byte b : receipt) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    /** The batch form of one receipt, as ASCII bytes (one line). */
    static byte[] write(byte[] receiptJson, List<ReceiptTree.Step> path, String rootJws) {
        ObjectNode node = JSON.createObjectNode();
        node.put("receipt", B64U.encodeToString(receiptJson));
        ArrayNode steps = node.putArray("path");
        for (ReceiptTree.Step step : path) {
            steps.addObject().put(step.left() ? "left" : "right", B64U.encodeToString(step.sibling()));
        }
        node.put("root", rootJws);
        return node.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The payload of a batch's signed root. */
    static byte[] rootPayload(byte[] root, int leaves) {
        return ("{\"alg\":\"SHA-256\",\"leaves\":" + leaves + ",\"root\":\"" + B64U.encodeToString(root) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a batch receipt, without checking anything but its shape.
     *
     * @throws IllegalArgumentException saying what is missing or malformed
     */
    public static BatchReceipt parse(byte[] text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("a batch receipt is one JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("a batch receipt is one JSON object", e);
        }
        if (node == null || !node.path("receipt").isTextual() || !node.path("root").isTextual()
                || !node.path("path").isArray()) {
            throw new IllegalArgumentException("a batch receipt has a receipt, a path and a root");
        }
        List<ReceiptTree.Step> path = new ArrayList<>();
        for (JsonNode step : node.get("path")) {
            boolean left = step.has("left");
            JsonNode sibling = left ? step.get("left") : step.get("right");
            if (sibling == null || !sibling.isTextual() || step.size() != 1) {
                throw new IllegalArgumentException("a path step is {\"left\": hash} or {\"right\": hash}");
            }
            path.add(new ReceiptTree.Step(decode(sibling.asText(), "a path step"), left));
        }
        return new BatchReceipt(decode(node.get("receipt").asText(), "the receipt"), List.copyOf(path),
                node.get("root").asText());
    }

    /** The root hash a batch's signed-root payload names. */
    static byte[] rootOfPayload(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (!"SHA-256".equals(node.path("alg").asText()) || !node.path("root").isTextual()) {
                throw new IllegalArgumentException("the signed root names no SHA-256 root");
            }
            return decode(node.get("root").asText(), "the root");
        } catch (IOException e) {
            throw new IllegalArgumentException("the signed root's payload is not JSON");
        }
    }

    private static byte[] decode(String b64u, String what) {
        try {
            return B64U_DECODE.decode(b64u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64url");
        }
    }
}
