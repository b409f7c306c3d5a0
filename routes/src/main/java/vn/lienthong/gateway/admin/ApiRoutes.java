package vn.lienthong.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.apache.camel.model.rest.RestBindingMode;
import vn.lienthong.connectors.Connector;
import vn.lienthong.connectors.Connectors;
import vn.lienthong.gateway.dispatch.InboxItem;
import vn.lienthong.gateway.dispatch.MessageView;
import vn.lienthong.gateway.dispatch.Outbox;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.identity.IdentityUnavailableException;
import vn.lienthong.gateway.ingress.IngressRecorder;
import vn.lienthong.gateway.ingress.RawBody;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.journal.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.ErrorCode;
import vn.lienthong.schemas.validation.ValidationError;

/**
 * The REST channel: {@code POST /api/v1/messages} (202 with the signed receipt after the commit),
 * {@code GET /api/v1/messages/{id}} (status and each delivery), and for agencies that pull,
 * {@code GET /api/v1/inbox} and {@code POST /api/v1/inbox/{deliveryId}/ack}. Every call carries
 * the agency's Keycloak access token ({@code Authorization: Bearer}); without a good one it is
 * answered 401, and 503 while Keycloak cannot tell whether the agency is still enabled.
 */
public final class ApiRoutes extends RouteBuilder {

    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = CanonicalJson.mapper();
    /** The exchange property holding the authenticated caller. */
    private static final String CALLER = "LienthongCaller";
    /** Larger signed receipts (rejections with very many errors) are only in the body, on request. */
    private static final int MAX_RECEIPT_HEADER = 128 * 1024;

    private final Registry registry;
    private final AgencyAuthenticator authenticator;
    private final IngressRecorder recorder;
    private final Outbox outbox;
    private final Connectors connectors;

    /** The API over the gateway's parts. */
    public ApiRoutes(Registry registry, AgencyAuthenticator authenticator, IngressRecorder recorder, Outbox outbox,
            Connectors connectors) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.recorder = recorder;
        this.outbox = outbox;
        this.connectors = connectors;
    }

    @Override
    public void configure() {
        // useStreaming: the body as the bytes received; otherwise the HTTP binding reads it as text
        // (a charset decoder that fails on bad UTF-8 with a 500, or alters the bytes).
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off)
                .endpointProperty("useStreaming", "true");

        rest("/api/v1")
                .post("/messages").routeId("api-submit").to("direct:api-submit")
                .get("/messages/{id}").routeId("api-message").to("direct:api-message")
                .get("/inbox").routeId("api-inbox").to("direct:api-inbox")
                .post("/inbox/{deliveryId}/ack").routeId("api-ack").to("direct:api-ack");

        from("direct:api-submit").routeId("api-submit-process").process(this::submit);
        from("direct:api-message").routeId("api-message-process").process(this::message);
        from("direct:api-inbox").routeId("api-inbox-process").process(this::inbox);
        from("direct:api-ack").routeId("api-ack-process").process(this::ack);
    }

    private void submit(Exchange exchange) {
        Optional<Agency> agency = identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<Channel> rest = agency.get().channels(ChannelKind.REST).stream().findFirst();
        if (rest.isEmpty()) {
            problem(exchange, 403, "NOT_AUTHORIZED", agency.get().code() + " has no REST channel in the registry");
            return;
        }
        Optional<String> format = format(agency.get(), rest.get(), exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        if (format.isEmpty()) {
            problem(exchange, 415, "UNSUPPORTED_MEDIA_TYPE", "the body's Content-Type is not the media type of a format "
                    + agency.get().code() + " is registered for");
            return;
        }
        Optional<byte[]> body = RawBody.read(exchange.getMessage().getBody(), recorder.maxInputBytes());
        if (body.isEmpty()) {
            problem(exchange, 413, "BODY_TOO_LARGE", "the body is larger than " + recorder.maxInputBytes()
                    + " bytes, the most one message may be (attachments travel by reference); nothing was kept");
            return;
        }
        Authentication caller = new Authentication.Authenticated(exchange.getProperty(CALLER, Caller.class));
        Source source = new Source(ChannelKind.REST, "/api/v1/messages", agency.get().code());
        Optional<String> charset = RawBody.otherCharset(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        // The bytes as received, never decoded with a declared charset: one that is not UTF-8 is refused.
        List<Recorded> recorded = charset.isPresent()
                ? recorder.refuse(body.get(), caller, source, format.get(), ValidationError.of(ErrorCode.INVALID_UTF8, "",
                        "the Content-Type declares charset " + charset.get() + ": every format of this gateway is UTF-8"))
                : recorder.record(body.get(), caller, source, format.get());
        Recorded first = recorded.get(0);
        int status = first instanceof Recorded.Accepted ? 202 : first instanceof Recorded.Duplicate ? 200 : 422;
        respondWithReceipts(exchange, status, recorded);
        if (recorded.size() == 1 && first instanceof Recorded.Duplicate) {
            exchange.getMessage().setHeader(ReceiptSigner.HTTP_DUPLICATE_HEADER, "true");
        }
    }

    /**
     * The signed receipts of a submission. By default the body is the receipt JSON (the JWS payload,
     * byte for byte), or for a batch a JSON array of them, and the compact JWS of a single receipt is
     * in the {@code Lienthong-Receipt-Jws} header. With {@code Accept: application/jose} the body is
     * the compact JWS itself, one per line for a batch (and for receipts too large for a header).
     */
    private static void respondWithReceipts(Exchange exchange, int status, List<Recorded> recorded) {
        String accept = exchange.getMessage().getHeader("Accept", String.class);
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(ReceiptSigner.MEDIA_TYPE)) {
            List<byte[]> signed = recorded.stream().map(Recorded::receipt).toList();
            byte[] body = signed.size() == 1 ? signed.get(0) : ReceiptSigner.lines(signed);
            respond(exchange, status, body);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, signed.size() == 1 ? ReceiptSigner.MEDIA_TYPE
                    : "text/plain; charset=US-ASCII");
            return;
        }
        if (recorded.size() == 1) {
            byte[] jws = recorded.get(0).receipt();
            respond(exchange, status, ReceiptSigner.payload(jws));
            if (jws.length <= MAX_RECEIPT_HEADER) {
                exchange.getMessage().setHeader(ReceiptSigner.HTTP_HEADER, new String(jws, StandardCharsets.US_ASCII));
            }
        } else {
            respond(exchange, status, array(recorded));
        }
    }

    /**
     * The format of a submitted body: the REST channel's own when the Content-Type fits it (or is
     * absent), else another format the agency is registered for whose media type it names (a
     * province's edXML documents, for instance).
     */
    private static Optional<String> format(Agency agency, Channel rest, String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (mediaType.isEmpty() || mediaType.equals(rest.format().mediaType())) {
            return Optional.of(rest.format().name());
        }
        return agency.channels().stream().map(Channel::format).filter(f -> f.mediaType().equals(mediaType))
                .map(vn.lienthong.gateway.registry.Format::name).findFirst();
    }

    private void message(Exchange exchange) {
        Optional<Agency> agency = identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<UUID> id = uuid(exchange.getMessage().getHeader("id", String.class));
        Optional<MessageView> view = id.flatMap(i -> outbox.message(i, agency.get().code()));
        if (view.isEmpty()) {
            problem(exchange, 404, "NOT_FOUND", "no message with this id that " + agency.get().code() + " sent or receives");
            return;
        }
        respond(exchange, 200, json(view.get()));
    }

    private void inbox(Exchange exchange) {
        Optional<Agency> agency = identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        String asked = exchange.getMessage().getHeader("limit", String.class);
        if (asked != null && !asked.matches("[0-9]{1,9}")) {
            problem(exchange, 400, "BAD_REQUEST", "limit is a whole number of items (1 to 500)");
            return;
        }
        int limit = Math.max(1, Math.min(500, asked == null ? 50 : Integer.parseInt(asked)));
        List<InboxItem> items = outbox.inbox(agency.get().code(), limit);
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
        Optional<Agency> agency = identify(exchange);
        if (agency.isEmpty()) {
            return;
        }
        Optional<UUID> id = uuid(exchange.getMessage().getHeader("deliveryId", String.class));
        Outbox.AckResult result = id.map(i -> outbox.acknowledge(i, agency.get().code())).orElse(Outbox.AckResult.NOT_FOUND);
        if (result == Outbox.AckResult.NOT_FOUND) {
            problem(exchange, 404, "NOT_FOUND", "no delivery with this id for " + agency.get().code());
            return;
        }
        respond(exchange, 200, json(MAPPER.createObjectNode().put("deliveryId", id.get().toString())
                .put("status", "ACKNOWLEDGED").put("alreadyAcknowledged", result == Outbox.AckResult.ALREADY_ACKNOWLEDGED)));
    }

    /** The message in the recipient's format: JSON formats inline, others as text. */
    private void encodeInto(ObjectNode node, InboxItem item) {
        Optional<Connector> connector = connectors.forFormat(item.format());
        try {
            Envelope message = MAPPER.readValue(item.canonical(), Envelope.class);
            byte[] encoded = connector.map(c -> c.encode(message, item.canonical())).orElse(item.canonical());
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

    /**
     * The calling agency, from its bearer token (kept on the exchange for the pipeline); else the
     * response is written (401 or 503) and empty is returned. The token is taken off the message
     * so that nothing sends it on or echoes it.
     */
    private Optional<Agency> identify(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader(AgencyAuthenticator.AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AgencyAuthenticator.AUTHORIZATION);
        Authentication identity;
        try {
            identity = authenticator.bearer(authorization);
        } catch (IdentityUnavailableException e) {
            exchange.getMessage().setHeader("Retry-After", "30");
            problem(exchange, 503, "IDENTITY_UNAVAILABLE", "the gateway cannot reach Keycloak to check the caller; retry later");
            return Optional.empty();
        }
        if (identity instanceof Authentication.Refused refused) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\""
                    + headerSafe(refused.reason()) + "\"");
            problem(exchange, 401, "NOT_AUTHENTICATED", refused.reason());
            return Optional.empty();
        }
        Caller caller = ((Authentication.Authenticated) identity).caller();
        exchange.setProperty(CALLER, caller);
        // The authenticator accepts only tokens of registry agencies.
        return registry.agency(caller.agency());
    }

    /** Printable ASCII without quotes or backslashes, for a quoted header parameter. */
    private static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.chars().forEach(c -> safe.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '?'));
        return safe.toString();
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void problem(Exchange exchange, int status, String code, String message) {
        respond(exchange, status, json(MAPPER.createObjectNode().put("code", code).put("message", message)));
    }

    private static void respond(Exchange exchange, int status, byte[] body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, JSON);
        exchange.getMessage().setBody(body);
    }

    private static byte[] array(List<Recorded> recorded) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Recorded r : recorded) {
            try {
                array.add(MAPPER.readTree(ReceiptSigner.payload(r.receipt())));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return json(array);
    }

    private static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value instanceof JsonNode ? value : MAPPER.valueToTree(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
