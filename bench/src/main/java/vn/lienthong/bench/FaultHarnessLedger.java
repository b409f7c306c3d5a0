package vn.lienthong.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import vn.lienthong.gateway.receipts.ReceiptSigner;

/**
 * What the fault harness saw, from the agencies' side: every input handed to a channel (and
 * whether it was invalid on purpose), every receipt a sender got back, and every copy of a message
 * a recipient received, told apart by the transport's own id of the copy (a broker's redelivery of
 * one copy is not a duplicate; a second send by the gateway is).
 */
final class FaultHarnessLedger {

    /** The four agency channels the load uses. */
    enum Channel { JMS, KAFKA, SFTP, REST }

    /** One input: its channel and whether it was meant to be refused. */
    record Input(Channel channel, boolean bad) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Input> inputs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> receipts = new ConcurrentHashMap<>();
    /** Recipient -> message id -> the transport ids of its copies. */
    private final Map<String, Map<String, Set<String>>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Integer> unreadable = new ConcurrentHashMap<>();

    /** Notes an input as handed over (the broker, server or folder has it), with its bytes for a resend. */
    void sent(String messageId, Channel channel, boolean bad, byte[] body) {
        bodies.put(messageId, body);
        inputs.put(messageId, new Input(channel, bad));
    }

    /** The bytes of an input, as first sent. */
    byte[] body(String messageId) {
        return bodies.get(messageId);
    }

    Map<String, Input> inputs() {
        return inputs;
    }

    /** Notes a signed receipt (compact JWS or batch form); returns its status, or null if unreadable. */
    String receipt(byte[] signed) {
        try {
            JsonNode receipt = JSON.readTree(ReceiptSigner.payload(trim(signed)));
            String about = receipt.path("inReplyTo").asText(null);
            String status = receipt.path("payload").path("status").asText(null);
            if (about == null || status == null) {
                unreadable.merge("receipt", 1, Integer::sum);
                return null;
            }
            receipts.computeIfAbsent(about, k -> ConcurrentHashMap.newKeySet()).add(status);
            return status;
        } catch (java.io.IOException | RuntimeException e) {
            unreadable.merge("receipt", 1, Integer::sum);
            return null;
        }
    }

    /** The receipt statuses a sender holds for this input (empty: none). */
    Set<String> receiptsOf(String messageId) {
        return receipts.getOrDefault(messageId, Set.of());
    }

    /** Notes a copy of a message at a recipient. */
    void arrived(String recipient, String messageId, String copyId) {
        arrivals.computeIfAbsent(recipient, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(messageId, k -> ConcurrentHashMap.newKeySet()).add(copyId);
    }

    /** Notes something a recipient got that names no message. */
    void unreadable(String what) {
        unreadable.merge(what, 1, Integer::sum);
    }

    Map<String, Integer> unreadable() {
        return unreadable;
    }

    /** How many distinct copies of this message the recipient received (0: none). */
    int copies(String recipient, String messageId) {
        Set<String> copies = arrivals.getOrDefault(recipient, Map.of()).get(messageId);
        return copies == null ? 0 : copies.size();
    }

    /** The message ids the recipient received at least once. */
    Set<String> arrivedAt(String recipient) {
        return arrivals.getOrDefault(recipient, Map.of()).keySet();
    }

    private static byte[] trim(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' ')) {
            end--;
        }
        return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
    }
}
