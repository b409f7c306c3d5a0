package vn.lienthong.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import vn.lienthong.gateway.testsupport.TestStack;
import vn.lienthong.gateway.testsupport.Tokens;
import vn.lienthong.schemas.validation.CanonicalJson;

/** What the operator's-seat tests share: the gateway's settings, notices, and HTTP calls as agencies and people. */
public final class OperatorSupport {

    public static final String REGISTRY = "src/test/resources/operator/agencies.yaml";
    /** The demo people of config/keycloak/lienthong-realm.json. */
    public static final String OPERATOR = "operator";
    public static final String AUDITOR = "auditor";

    private static final DateTimeFormatter RFC_3339_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private OperatorSupport() {
    }

    /** The gateway on the shared stack with the operator registry, quick polling, and people checked every 2 s. */
    public static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>(TestStack.get().springProperties());
        p.put("lienthong.registry", REGISTRY);
        p.put("lienthong.dispatch.poll-interval", "100ms");
        p.put("lienthong.identity.directory-refresh", "2s");
        // The bundled examples name attachments that no test uploads (AttachmentFlowTest checks them).
        p.put("lienthong.attachments.require-stored", "false");
        return p;
    }

    public static String operator() {
        return Tokens.person(OPERATOR, OPERATOR + "-demo");
    }

    public static String auditor() {
        return Tokens.person(AUDITOR, AUDITOR + "-demo");
    }

    /** A fresh violation notice from the bundled examples: new id and correlationId, dated now. */
    public static ObjectNode notice(String sender, String... recipients) {
        String example = "lienthong/examples/v1/violation.notice/valid-counterfeit-cosmetics-shopee.json";
        try (InputStream in = OperatorSupport.class.getClassLoader().getResourceAsStream(example)) {
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            notice.put("messageId", UUID.randomUUID().toString());
            notice.put("sender", sender);
            var list = notice.putArray("recipients");
            for (String r : recipients) {
                list.add(r);
            }
            notice.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS));
            // A case of its own: the example's correlationId would put every notice on one order
            // key, where a FAILED one holds back all later ones.
            notice.put("correlationId", "case-" + UUID.randomUUID());
            return notice;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh information request from the bundled examples (a workflow case for its recipient):
     * new id, dated now, answer due at {@code deadline}.
     */
    public static ObjectNode infoRequest(String sender, String recipient, OffsetDateTime deadline) {
        String example = "lienthong/examples/v1/info.request/valid-tax-data-for-counterfeit-case.json";
        try (InputStream in = OperatorSupport.class.getClassLoader().getResourceAsStream(example)) {
            ObjectNode request = (ObjectNode) CanonicalJson.mapper().readTree(in);
            request.put("messageId", UUID.randomUUID().toString());
            request.put("sender", sender);
            request.putArray("recipients").add(recipient);
            request.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(RFC_3339_SECONDS));
            request.put("deadline", deadline.format(RFC_3339_SECONDS));
            request.put("correlationId", "ask-" + UUID.randomUUID());
            return request;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP answer. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return CanonicalJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public static Response get(int port, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    public static Response post(int port, String path, String authorization, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    /** An agency submits a message over its REST channel; returns the message id. */
    public static String submit(int port, String agency, ObjectNode notice) {
        Response r = post(port, "/api/v1/messages", Tokens.bearer(agency), notice.toString());
        if (r.status() != 202) {
            throw new AssertionError("submission refused: " + r.status() + " " + r.body());
        }
        return notice.get("messageId").asText();
    }

    public static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A page of {@code agency}'s inbox that holds an item {@code wanted} accepts, or null when none is
     * there yet. The tests share one database and nobody else pulls these inboxes: items received
     * before {@code since} (other tests' deliveries) that are not wanted are acknowledged, so the
     * item sought is not hidden behind a full page of old ones.
     */
    public static JsonNode inboxHolding(int port, String agency, java.time.Instant since,
            java.util.function.Predicate<JsonNode> wanted) {
        Response page = get(port, "/api/v1/inbox?limit=500", Tokens.bearer(agency));
        if (page.status() != 200) {
            throw new AssertionError("inbox of " + agency + ": " + page.status() + " " + page.body());
        }
        JsonNode items = page.json().path("items");
        for (JsonNode item : items) {
            if (wanted.test(item)) {
                return page.json();
            }
        }
        for (JsonNode item : items) {
            if (java.time.Instant.parse(item.path("receivedAt").asText()).isBefore(since)) {
                post(port, "/api/v1/inbox/" + item.path("deliveryId").asText() + "/ack", Tokens.bearer(agency), "");
            }
        }
        return null;
    }

    /**
     * Acknowledges the items of {@code agency}'s pull inbox received since {@code since}: a test that
     * leaves deliveries PENDING in the shared database would make every later test's backlog busy.
     */
    public static void acknowledgeSince(int port, String agency, java.time.Instant since) {
        Response page = get(port, "/api/v1/inbox?limit=500", Tokens.bearer(agency));
        if (page.status() != 200) {
            throw new AssertionError("inbox of " + agency + ": " + page.status() + " " + page.body());
        }
        for (JsonNode item : page.json().path("items")) {
            if (!java.time.Instant.parse(item.path("receivedAt").asText()).isBefore(since)) {
                post(port, "/api/v1/inbox/" + item.path("deliveryId").asText() + "/ack", Tokens.bearer(agency), "");
            }
        }
    }
}
