package vn.lienthong.gateway.ingress;

import static vn.lienthong.gateway.channels.RestCalls.json;
import static vn.lienthong.gateway.channels.RestCalls.problem;
import static vn.lienthong.gateway.channels.RestCalls.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import vn.lienthong.gateway.channels.RestCalls;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.LatencyTrace;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * The REST ingress: {@code POST /api/v1/messages} answers 202 with the signed receipt after the
 * commit (200 for a duplicate, 422 for a refusal). The call carries the agency's Keycloak access
 * token ({@code Authorization: Bearer}); without a good one it is answered 401, and 503 while
 * Keycloak cannot tell whether the agency is still enabled. It also sets the REST configuration
 * every REST route of the gateway shares.
 */
public final class RestIngressRoutes extends RouteBuilder {

    private static final ObjectMapper MAPPER = CanonicalJson.mapper();
    /** Larger signed receipts (rejections with very many errors) are only in the body, on request. */
    private static final int MAX_RECEIPT_HEADER = 128 * 1024;
    /** The route of submissions, in the steps of every ingress route. */
    public static final String SUBMIT_ROUTE = "api-submit-process";
    /** Exchange properties of a submission: where it came from, and the format of its body. */
    private static final String SOURCE = "lienthong.source";
    private static final String FORMAT = "lienthong.format";
    /** Exchange property: the latency trace's readings of the steps ({@link System#nanoTime}), when on. */
    private static final String MARKS = "lienthong.restMarks";
    /** Exchange property: the messageId of the urgent message the trace follows. */
    private static final String TRACED = "lienthong.traced";

    private final RestCalls calls;
    private final IngressRecorder recorder;

    /** The REST ingress over the recorder. */
    public RestIngressRoutes(RestCalls calls, IngressRecorder recorder) {
        this.calls = calls;
        this.recorder = recorder;
    }

    @Override
    public void configure() {
        // useStreaming: the body as the bytes received; otherwise the HTTP binding reads it as text
        // (a charset decoder that fails on bad UTF-8 with a 500, or alters the bytes).
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off)
                .endpointProperty("useStreaming", "true");

        rest("/api/v1")
                .post("/messages").routeId("api-submit").to("direct:api-submit");

        // The steps every channel route has (ChannelIngressRoutes), node ids prefixed as there.
        from("direct:api-submit").routeId(SUBMIT_ROUTE).nodePrefixId(SUBMIT_ROUTE + ".")
                .routeDescription("REST POST /api/v1/messages of every agency with a REST channel")
                .process(this::identify).id(ChannelIngressRoutes.IDENTIFY)
                .process(this::check).id(ChannelIngressRoutes.CHECK).description(ChannelIngressRoutes.CHECK_DESCRIPTION)
                .process(this::record).id(ChannelIngressRoutes.RECORD)
                .process(this::receipt).id(ChannelIngressRoutes.RECEIPT);
    }

    /**
     * The identify step of a submission: the agency by its token, its REST channel, and the format
     * of the body; otherwise the answer is written (401, 503, 403, 415) and the route stops.
     */
    private void identify(Exchange exchange) {
        if (LatencyTrace.on()) {
            long[] marks = new long[5];
            marks[0] = System.nanoTime();
            exchange.setProperty(MARKS, marks);
        }
        Optional<Agency> agency = calls.identify(exchange);
        if (agency.isEmpty()) {
            exchange.setRouteStop(true);
            return;
        }
        Optional<Channel> rest = agency.get().channels(ChannelKind.REST).stream().findFirst();
        if (rest.isEmpty()) {
            problem(exchange, 403, "NOT_AUTHORIZED", agency.get().code() + " has no REST channel in the registry");
            exchange.setRouteStop(true);
            return;
        }
        Optional<String> format = format(agency.get(), rest.get(), exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        if (format.isEmpty()) {
            problem(exchange, 415, "UNSUPPORTED_MEDIA_TYPE", "the body's Content-Type is not the media type of a format "
                    + agency.get().code() + " is registered for");
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(SOURCE, new Source(ChannelKind.REST, "/api/v1/messages", agency.get().code()));
        exchange.setProperty(FORMAT, format.get());
    }

    /**
     * The check step of a submission: the body, as the bytes received and never decoded with a
     * declared charset (one that is not UTF-8 is refused), becomes the entries to record; a body
     * larger than one message is answered 413 and the route stops.
     */
    private void check(Exchange exchange) {
        mark(exchange, 1);
        Optional<byte[]> body = RawBody.read(exchange.getMessage().getBody(), recorder.maxInputBytes());
        if (body.isEmpty()) {
            problem(exchange, 413, "BODY_TOO_LARGE", "the body is larger than " + recorder.maxInputBytes()
                    + " bytes, the most one message may be (attachments travel by reference); nothing was kept");
            exchange.setRouteStop(true);
            return;
        }
        Authentication caller = new Authentication.Authenticated(exchange.getProperty(RestCalls.CALLER, Caller.class));
        Optional<String> charset = RawBody.otherCharset(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        IngressRecorder.Input input = charset.isEmpty() ? new IngressRecorder.Input(body.get(), caller)
                : new IngressRecorder.Input(body.get(), caller, ValidationError.of(ErrorCode.INVALID_UTF8, "",
                        "the Content-Type declares charset " + charset.get() + ": every format of this gateway is UTF-8"));
        exchange.getMessage().setBody(recorder.check(List.of(input), exchange.getProperty(SOURCE, Source.class),
                exchange.getProperty(FORMAT, String.class)));
    }

    /** The record step of a submission: the journal's commit, before anything is answered. */
    private void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<JournalEntry> entries = exchange.getMessage().getBody(List.class);
        mark(exchange, 2);
        exchange.getMessage().setBody(recorder.record(entries, exchange.getProperty(SOURCE, Source.class)));
        mark(exchange, 3);
        if (exchange.getProperty(MARKS) != null) {
            entries.stream().filter(LatencyTrace::urgent).findFirst()
                    .ifPresent(e -> exchange.setProperty(TRACED, ((JournalEntry.Accepted) e).message().messageId()));
        }
    }

    /** The latency trace's reading {@code at} (1 identified, 2 checked, 3 recorded, 4 answered), when on. */
    private static void mark(Exchange exchange, int at) {
        long[] marks = exchange.getProperty(MARKS, long[].class);
        if (marks != null) {
            marks[at] = System.nanoTime();
        }
    }

    /**
     * The latency trace's line of an urgent submission: the time the request spent before the route
     * (since Camel made the exchange), then each step.
     */
    private static void trace(Exchange exchange) {
        long[] marks = exchange.getProperty(MARKS, long[].class);
        Object id = exchange.getProperty(TRACED);
        if (marks == null || id == null) {
            return;
        }
        mark(exchange, 4);
        LatencyTrace.log("rest", id, "beforeRoute", (double) exchange.getClock().elapsed() - LatencyTrace.ms(marks[0], marks[4]),
                "identify", LatencyTrace.ms(marks[0], marks[1]), "check", LatencyTrace.ms(marks[1], marks[2]),
                "record", LatencyTrace.ms(marks[2], marks[3]), "receipt", LatencyTrace.ms(marks[3], marks[4]),
                "thread", Thread.currentThread().getName());
    }

    /** The receipt step of a submission: 202 accepted, 200 a duplicate, 422 refused, with the signed receipts. */
    private void receipt(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Recorded> recorded = exchange.getMessage().getBody(List.class);
        Recorded first = recorded.get(0);
        int status = first instanceof Recorded.Accepted ? 202 : first instanceof Recorded.Duplicate ? 200 : 422;
        respondWithReceipts(exchange, status, recorded);
        if (recorded.size() == 1 && first instanceof Recorded.Duplicate) {
            exchange.getMessage().setHeader(ReceiptSigner.HTTP_DUPLICATE_HEADER, "true");
        } else if (recorded.size() > 1) {
            // A batch's body holds the original receipts byte for byte: the header says which they are.
            String duplicates = IntStream.range(0, recorded.size())
                    .filter(i -> recorded.get(i) instanceof Recorded.Duplicate)
                    .mapToObj(Integer::toString).collect(Collectors.joining(","));
            if (!duplicates.isEmpty()) {
                exchange.getMessage().setHeader(ReceiptSigner.HTTP_DUPLICATE_ITEMS_HEADER, duplicates);
            }
        }
        trace(exchange);
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
}
