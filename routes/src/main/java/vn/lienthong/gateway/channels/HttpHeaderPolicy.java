package vn.lienthong.gateway.channels;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The HTTP binding's header filter (Camel platform-http, every route of the REST channel and the
 * keys endpoint): a request header or query parameter becomes a message header only if the
 * gateway reads it, and a message header becomes a response header only if it is one the gateway
 * sets. Nothing a caller sends is written back, whatever the route did or forgot to do.
 *
 * <p>Both lists are allow-lists on purpose: Camel's default strategy filters a few known names and
 * writes back everything else (a {@code Set-Cookie} query parameter came back as a cookie). A
 * route that needs another request header, or sets another response header, adds it here.
 */
public final class HttpHeaderPolicy implements HeaderFilterStrategy {

    /**
     * The request headers the routes read: the token and the media types. Each is taken only from
     * the request's header section: a query parameter of the same name (Camel maps parameters and
     * headers alike) voids it rather than joining or replacing it.
     */
    public static final Set<String> REQUEST_HEADERS = Set.of("authorization", "content-type", "accept");

    /**
     * The query parameters the routes read (the inbox's and the cases' page size; the cases'
     * filter, kind and horizon), taken only from the query.
     * Path parameters ({@code {id}}, {@code {deliveryId}}) do not pass here: the binding sets them
     * from the path matched, over any header of the same name.
     */
    public static final Set<String> REQUEST_PARAMETERS = Set.of("limit", "filter", "kind", "duewithinhours",
            // the signature of an attachment's download link
            "sig");

    /**
     * What the gateway writes in a response, each because a route sets it deliberately:
     * {@code Content-Type} (the body's media type, always set by the route; the binding writes it
     * through the servlet response), {@code Lienthong-Receipt-Jws} (the signed receipt of a
     * submission), {@code WWW-Authenticate} (401, RFC 6750), {@code Retry-After} (503 while
     * Keycloak is out of reach) and {@code Cache-Control} (the public keys). The servlet
     * container adds its own transport headers ({@code Content-Length}, {@code Date},
     * {@code Transfer-Encoding}, {@code Connection}, {@code Keep-Alive}) after the binding.
     */
    public static final Set<String> RESPONSE = Set.of("content-type", "lienthong-receipt-jws", "www-authenticate",
            "retry-after", "cache-control", "content-disposition");

    /**
     * The gateway's own header namespace ({@code Lienthong-Receipt-Jws}, and any the gateway adds
     * later): let out because no request header of that name ever comes in.
     */
    public static final String GATEWAY_PREFIX = "lienthong-";

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !response(name) || !fieldValue(value);
    }

    /** Whether a message header of this name may be written as a response header. */
    public static boolean response(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return RESPONSE.contains(key) || key.startsWith(GATEWAY_PREFIX);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!fieldValue(value)) {
            return true;
        }
        HttpServletRequest request = exchange != null && exchange.getIn() instanceof PlatformHttpMessage http
                ? http.getRequest() : null;
        if (REQUEST_HEADERS.contains(key)) {
            return request == null || parameter(request, name);
        }
        if (REQUEST_PARAMETERS.contains(key)) {
            return request == null || request.getHeader(name) != null;
        }
        return true;
    }

    private static boolean parameter(HttpServletRequest request, String name) {
        return Collections.list(request.getParameterNames()).stream().anyMatch(name::equalsIgnoreCase);
    }

    /**
     * A value that may stand in an HTTP field: visible ASCII, spaces and tabs (RFC 9110 §5.5
     * without obs-text). A CR or LF never passes, whoever put it there.
     */
    static boolean fieldValue(Object value) {
        if (value == null) {
            return true;
        }
        String text = value.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                return false;
            }
        }
        return true;
    }
}
