package vn.lienthong.gateway.identity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Reads the realm's admin API as the gateway's own client (client credentials, its token reused
 * until shortly before it expires): what the agency and person directories ask Keycloak.
 */
final class RealmAdminReader {

    private final URI realmAdmin;
    private final TokenEndpoint tokens;
    private final String clientId;
    private final String clientSecret;
    private final HttpClient http;
    private final Clock clock;
    private volatile TokenEndpoint.Grant grant;

    RealmAdminReader(String adminUrl, String realm, TokenEndpoint tokens, String clientId, String clientSecret,
            HttpClient http, Clock clock) {
        String base = adminUrl.endsWith("/") ? adminUrl.substring(0, adminUrl.length() - 1) : adminUrl;
        this.realmAdmin = URI.create(base + "/admin/realms/" + encode(realm) + "/");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** GET {@code path} under the realm's admin API; on 401 (the token may have just expired) once more with a fresh token. */
    HttpResponse<String> get(String path) throws IOException {
        HttpResponse<String> response = send(path, token());
        if (response.statusCode() == 401) {
            grant = null;
            response = send(path, token());
        }
        return response;
    }

    /** The path of {@code relative} under the realm's admin API, for messages. */
    String pathOf(String relative) {
        return realmAdmin.resolve(relative).getPath();
    }

    /** Forgets the admin token (a caller saw Keycloak fail and wants a fresh one next time). */
    void forgetToken() {
        grant = null;
    }

    /** A path segment, percent-encoded. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(String path, String token) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(realmAdmin.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String token() throws IOException {
        TokenEndpoint.Grant current = grant;
        if (current == null || clock.instant().isAfter(current.expiresAt().minusSeconds(10))) {
            current = tokens.clientCredentials(clientId, clientSecret).orElseThrow(() -> new IOException(
                    "Keycloak refuses the gateway's own client " + clientId + " (wrong secret or disabled)"));
            grant = current;
        }
        return current.accessToken();
    }
}
