package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static vn.lienthong.gateway.flow.FlowSupport.bytes;
import static vn.lienthong.gateway.flow.FlowSupport.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.channels.HttpHeaderPolicy;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Nothing a caller sends comes back in a response header (issue 13): on every HTTP route, with
 * and without a good token, request headers and query parameters named like response headers,
 * CR/LF-laden values and a hundred extra headers; the response carries only the headers the
 * gateway sets (and the servlet container's transport headers), none with a value sent.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HeaderReflectionTest {

    /**
     * Headers the servlet container writes itself (framing, date; the language of its own error
     * page for a request it refuses before any route), never from the message.
     */
    private static final Set<String> TRANSPORT = Set.of("content-length", "date", "transfer-encoding", "connection",
            "keep-alive", "content-language");
    /** Tomcat's maxHeaderCount: a request with more headers is refused (400) before any route. */
    private static final int MAX_HEADERS = 100;
    /** The headers the JDK client adds over HTTP/1.1 (Host, User-Agent, Content-Length) and the two a call may set. */
    private static final int CLIENT_HEADERS = 5;
    /**
     * Set by the HTTP engines themselves, never from the message: Spring MVC's {@code Vary}
     * (actuator), and the methods a path takes ({@code Allow}) on 405.
     */
    private static final Set<String> ENGINE = Set.of("vary", "allow");
    /**
     * Spring Security's fixed headers on the people's surfaces (the actuator): constant values (no
     * caching, nosniff, frame options) and the CSRF token cookie, never from the message.
     */
    private static final Set<String> PEOPLE_SECURITY = Set.of("cache-control", "pragma", "expires",
            "x-content-type-options", "x-xss-protection", "x-frame-options", "set-cookie");
    /** Every value sent contains one of these; none may come back in a header. */
    private static final List<String> MARKS = List.of("probe", "evil.example", "forged");

    /** Response header names a caller tries to set, each sent as a request header and as a query parameter. */
    private static final List<String> NAMES = List.of("Set-Cookie", "Location", "Refresh", "Lienthong-Receipt-Jws",
            "WWW-Authenticate", "Retry-After", "Cache-Control", "Content-Disposition", "Access-Control-Allow-Origin",
            "Content-Encoding", "X-Frame-Options", "Link");

    private static final String QUERY = NAMES.stream()
            .map(n -> n + "=" + (n.equals("Location") ? "http%3A%2F%2Fevil.example%2F" : "probe%3D1"))
            .collect(Collectors.joining("&"))
            + "&X-Crlf=probe%0D%0ASet-Cookie%3A%20crlf-probe%3D1&X-Lf=probe%0ALocation%3A%20http%3A%2F%2Fevil.example%2F"
            + "&Content-Type=text%2Fhtml%3B%20probe&Accept=text%2Fhtml%3B%20probe";

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;

    /** One route and method, with what it takes. */
    private record Call(String method, String path, byte[] body) {
    }

    @Test
    void noRouteEchoesARequestHeaderOrQueryParameter() {
        // Real ids, so that the routes run to their end with a good token.
        ObjectNode sent = notice("MOIT.DMS", "PROV.37");
        String messageId = sent.get("messageId").asText();
        assertThat(FlowSupport.post(port, "/api/v1/messages", "MOIT.DMS", bytes(sent)).status()).isEqualTo(202);
        String deliveryId = awaitDelivery("PROV.37", messageId);

        List<Call> calls = List.of(
                new Call("POST", "/api/v1/messages", null),
                new Call("GET", "/api/v1/messages/" + messageId, null),
                new Call("GET", "/api/v1/inbox", null),
                new Call("POST", "/api/v1/inbox/" + deliveryId + "/ack", new byte[0]),
                new Call("GET", "/api/v1/keys", null),
                // The open probe (the rest of the actuator is for people, behind their login).
                new Call("GET", "/actuator/health/readiness", null),
                new Call("GET", "/api/v1/nowhere", null),
                new Call("DELETE", "/api/v1/messages", null));
        List<String> seen = new ArrayList<>();
        for (Call call : calls) {
            for (String authorization : new String[] {null, "Bearer forged.probe.value", Tokens.bearer("PROV.37")}) {
                byte[] body = call.body() != null ? call.body()
                        : call.path().equals("/api/v1/messages") ? bytes(notice("PROV.37", "MOIT.DMS")) : null;
                HttpResponse<String> response = send(call, authorization, body, hostileHeaders(MAX_HEADERS), QUERY);
                assertOnlyGatewayHeaders(call + " " + (authorization == null ? "no token" : authorization.length() > 40
                        ? "good token" : "bad token"), response);
                seen.add(call.method() + " " + call.path() + " -> " + response.statusCode());
            }
        }
        // The routes did run: a good token gets its answers despite the noise.
        assertThat(seen).contains("POST /api/v1/messages -> 202", "GET /api/v1/messages/" + messageId + " -> 200",
                "GET /api/v1/inbox -> 200", "POST /api/v1/inbox/" + deliveryId + "/ack -> 200",
                "GET /api/v1/keys -> 200", "GET /actuator/health/readiness -> 200");
    }

    @Test
    void aSubmissionStillGetsItsOwnReceiptHeaderAndNotTheOneSent() {
        ObjectNode sent = notice("MOIT.DMS", "PROV.37");
        HttpResponse<String> response = send(new Call("POST", "/api/v1/messages", null), Tokens.bearer("MOIT.DMS"),
                bytes(sent), hostileHeaders(MAX_HEADERS), QUERY);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().allValues("Lienthong-Receipt-Jws")).hasSize(1);
        JsonNode receipt = FlowSupport.verifiedReceipt(port, response.headers().firstValue("Lienthong-Receipt-Jws").orElseThrow());
        assertThat(receipt.at("/inReplyTo").asText()).isEqualTo(sent.get("messageId").asText());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void aTokenInTheQueryIsNotATokenAndDoesNotVoidTheHeaderForSomeoneElse() {
        // RFC 6750's query form is not offered: a token belongs in the Authorization header only.
        HttpResponse<String> inQuery = send(new Call("GET", "/api/v1/inbox", null), null, null, Map.of(),
                "Authorization=" + Tokens.bearer("PROV.37").replace(" ", "%20"));
        assertThat(inQuery.statusCode()).isEqualTo(401);

        // A query parameter named like the header voids the header instead of joining it.
        HttpResponse<String> both = send(new Call("GET", "/api/v1/inbox", null), Tokens.bearer("PROV.37"), null, Map.of(),
                "authorization=Bearer%20forged");
        assertThat(both.statusCode()).isEqualTo(401);
        assertOnlyGatewayHeaders("token in header and query", both);

        HttpResponse<String> limit = send(new Call("GET", "/api/v1/inbox", null), Tokens.bearer("PROV.37"), null,
                Map.of("limit", "0"), "limit=1");
        assertThat(limit.statusCode()).isEqualTo(200);
    }

    @Test
    void rawCrLfAndFoldedHeadersComeBackNowhere() throws IOException {
        String token = Tokens.bearer("PROV.37");
        for (String hostile : List.of(
                "X-Folded: probe\r\n Set-Cookie: folded-probe=1\r\n",
                "X-Bare-Lf: probe\nSet-Cookie: lf-probe=1\r\n",
                "X-Bare-Cr: probe\rSet-Cookie: cr-probe=1\r\n",
                "Set-Cookie: probe=1\r\nLocation: http://evil.example/\r\n")) {
            String response = raw("GET /api/v1/inbox?" + QUERY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token
                    + "\r\n" + hostile + "Connection: close\r\n\r\n");
            String head = response.split("\r\n\r\n", 2)[0];
            for (String line : head.split("\r\n")) {
                if (line.startsWith("HTTP/")) {
                    continue;
                }
                String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                assertThat(allowed(name)).as("header %s in the answer to %s", line, hostile).isTrue();
                assertThat(MARKS).as("header %s in the answer to %s", line, hostile)
                        .noneMatch(mark -> line.toLowerCase(Locale.ROOT).contains(mark));
            }
        }
    }

    @Test
    void tooManyHeadersAreRefusedByTheContainerAndNothingComesBack() {
        HttpResponse<String> response = send(new Call("GET", "/api/v1/inbox", null), Tokens.bearer("PROV.37"), null,
                hostileHeaders(MAX_HEADERS + 50), QUERY);
        assertThat(response.statusCode()).isEqualTo(400);
        assertOnlyGatewayHeaders("150 headers", response);
    }

    /** The hostile headers, padded with X-Probe-n so that the request holds {@code total} headers in all. */
    private static Map<String, String> hostileHeaders(int total) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String name : NAMES) {
            headers.put(name, name.equals("Location") ? "http://evil.example/" : "probe=1");
        }
        headers.put("Cookie", "session=probe");
        headers.put("X-Forwarded-For", "10.0.0.1, probe");
        headers.put("Forwarded", "for=probe");
        int probes = total - headers.size() - CLIENT_HEADERS;
        for (int i = 0; i < probes; i++) {
            headers.put("X-Probe-" + i, "probe-" + i);
        }
        return headers;
    }

    private HttpResponse<String> send(Call call, String authorization, byte[] body, Map<String, String> headers,
            String query) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path() + "?" + query))
                .version(HttpClient.Version.HTTP_1_1)
                .method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return FlowSupport.exchange(request);
    }

    private static void assertOnlyGatewayHeaders(String what, HttpResponse<String> response) {
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean people = response.uri().getPath().startsWith("/actuator/") && PEOPLE_SECURITY.contains(lower);
            assertThat(people || allowed(lower)).as("%s answers %s header %s: %s", what,
                    response.statusCode(), name, values).isTrue();
            for (String value : values) {
                assertThat(MARKS).as("%s answers header %s: %s", what, name, value)
                        .noneMatch(mark -> value.toLowerCase(Locale.ROOT).contains(mark));
            }
        });
        if (response.statusCode() != 400) {
            // Only the container's own refusal page is HTML; no route answers in a type a caller named.
            assertThat(response.headers().allValues("Content-Type")).as(what)
                    .noneMatch(type -> type.startsWith("text/html"));
        }
    }

    private static boolean allowed(String name) {
        return HttpHeaderPolicy.response(name) || TRANSPORT.contains(name) || ENGINE.contains(name);
    }

    private String awaitDelivery(String agency, String messageId) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode item : FlowSupport.get(port, "/api/v1/inbox?limit=500", agency).json().at("/items")) {
                if (item.at("/messageId").asText().equals(messageId)) {
                    found[0] = item.at("/deliveryId").asText();
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Writes a request as bytes on a socket (no client's checks) and reads the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
