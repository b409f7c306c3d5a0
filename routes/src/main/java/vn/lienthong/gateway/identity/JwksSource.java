package vn.lienthong.gateway.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;

/** Where the realm's public signing keys come from. */
@FunctionalInterface
public interface JwksSource {

    /** The current key set; throws when it cannot be had (a transient failure, not a bad token). */
    JWKSet load() throws IOException;

    /** The key set published at {@code uri} (the realm's {@code .../protocol/openid-connect/certs}). */
    static JwksSource http(URI uri, HttpClient client) {
        return () -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build();
            HttpResponse<String> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            try {
                return JWKSet.parse(response.body());
            } catch (ParseException e) {
                throw new IOException("GET " + uri + " did not return a JWK set: " + e.getMessage(), e);
            }
        };
    }
}
