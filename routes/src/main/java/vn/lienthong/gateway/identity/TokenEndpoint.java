package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The realm's token endpoint, for the client-credentials grant (a confidential client's own token). */
public final class TokenEndpoint {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI uri;
    private final HttpClient http;

    /** The token endpoint of the realm whose issuer URL is given. */
    public TokenEndpoint(String issuer, HttpClient http) {
        this.uri = URI.create(Objects.requireNonNull(issuer, "issuer") + "/protocol/openid-connect/token");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** An access token and when it expires. */
    public record Grant(String accessToken, Instant expiresAt) {
        /** The token is not shown: grants end up in debuggers and logs. */
        @Override
        public String toString() {
            return "Grant[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * A token for a confidential client, or empty when Keycloak refuses the credentials (unknown
     * client, wrong secret, disabled client).
     *
     * @throws IOException when Keycloak cannot be reached or answers with a server error
     */
    public Optional<Grant> clientCredentials(String clientId, String secret) throws IOException {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(secret);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri + " for a token", e);
        }
        int status = response.statusCode();
        if (status == 400 || status == 401 || status == 403) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new IOException("the token endpoint " + uri + " answered " + status);
        }
        JsonNode body = MAPPER.readTree(response.body());
        String token = body.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new IOException("the token endpoint " + uri + " answered without an access_token");
        }
        return Optional.of(new Grant(token, Instant.now().plusSeconds(body.path("expires_in").asLong(60))));
    }

    /** The endpoint's address. */
    public URI uri() {
        return uri;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
