package vn.lienthong.gateway.inbox;

import static vn.lienthong.gateway.channels.RestCalls.JSON;
import static vn.lienthong.gateway.channels.RestCalls.json;
import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The inbox over REST, for agencies that pull: {@code GET /api/v1/inbox} (their messages not yet
 * acknowledged, each in the agency's format) and {@code POST /api/v1/inbox/{deliveryId}/ack}.
 */
public final class InboxRoutes extends RouteBuilder {

    private static final ObjectMapper MAPPER = CanonicalJson.mapper();

    private final RestCalls calls;
    private final Inbox inbox;
    private final Connectors connectors;

    /** The inbox routes over {@code inbox}, encoding with {@code connectors}. */
    public InboxRoutes(RestCalls calls, Inbox inbox, Connectors connectors) {
        this.calls = calls;
        this.inbox = inbox;
        this.connectors = connectors;
    }

    private ReceiptSigner noticeSigner;
    private String gatewaySender;

    /**
     * Items the gateway itself sent ({@code sender} {@code gatewaySender}: its notices) carry
     * {@code signature}, the compact JWS ({@code typ} {@value ReceiptSigner#NOTICE_TYPE}) whose payload
     * is the notice in the recipient's format, byte for byte (the item's {@code message} is the same
     * JSON, re-serialized inside the list).
     */
    public InboxRoutes withNoticeSigner(ReceiptSigner signer, String gatewaySender) {
        this.noticeSigner = java.util.Objects.requireNonNull(signer, "signer");
        this.gatewaySender = java.util.Objects.requireNonNull(gatewaySender, "gatewaySender");
        return this;
    }

    @Override
    public void configure() {
        rest("/api/v1")
                .get("/inbox").routeId("api-inbox").to("direct:api-inbox")
                .post("/inbox/{deliveryId}/ack").routeId("api-ack").to("direct:api-ack");

        from("direct:api-inbox").routeId("api-inbox-process").process(this::inbox);
        from("direct:api-ack").routeId("api-ack-process").process(this::ack);
    }

    private void inbox(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        String asked = exchange.getMessage().getHeader("limit", String.class);
        if (asked != null && !asked.matches("[0-9]{1,9}")) {
            problem(exchange, 400, "BAD_REQUEST", "limit is a whole number of items (1 to 500)");
            return;
        }
        int limit = Math.max(1, Math.min(500, asked == null ? 50 : Integer.parseInt(asked)));
        List<InboxItem> items = inbox.inbox(agency.get().code(), limit);
        ObjectNode result = MAPPER.createObjectNode();
        ArrayNode array = result.putArray("items");
        for (InboxItem item : items) {
            ObjectNode node = array.addObject();
            node.put("deliveryId", item.deliveryId().toString());
            node.put("messageId", item.messageId().toString());
            node.put("sender", item.sender());
            node.put("type", item.type());
            node.put("receivedAt", item.receivedAt().toString());
            encodeInto(node, item);
        }
        respond(exchange, 200, json(result));
    }

    private void ack(Exchange exchange) {
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<UUID> id = RestCalls.uuid(exchange.getMessage().getHeader("deliveryId", String.class));
        Inbox.AckResult result = id.map(i -> inbox.acknowledge(i, agency.get().code())).orElse(Inbox.AckResult.NOT_FOUND);
        if (result == Inbox.AckResult.NOT_FOUND) {
            problem(exchange, 404, "NOT_FOUND", "no delivery with this id for " + agency.get().code());
            return;
        }
        respond(exchange, 200, json(MAPPER.createObjectNode().put("deliveryId", id.get().toString())
                .put("status", "ACKNOWLEDGED").put("alreadyAcknowledged", result == Inbox.AckResult.ALREADY_ACKNOWLEDGED)));
    }

    /** The message in the recipient's format: JSON formats inline, others as text. */
    private void encodeInto(ObjectNode node, InboxItem item) {
        Optional<Connector> connector = connectors.forFormat(item.format());
        try {
            Envelope message = MAPPER.readValue(item.canonical(), Envelope.class);
            byte[] encoded = connector.map(c -> c.encode(message, item.canonical())).orElse(item.canonical());
            if (noticeSigner != null && gatewaySender.equals(item.sender())) {
                node.put("signature", new String(noticeSigner.sign(encoded), StandardCharsets.US_ASCII));
            }
            String mediaType = connector.map(Connector::mediaType).orElse(JSON);
            node.put("mediaType", mediaType);
            if (mediaType.endsWith("json")) {
                node.set("message", MAPPER.readTree(encoded));
            } else {
                node.put("content", new String(encoded, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the journal's canonical message cannot be read", e);
        }
    }
}
