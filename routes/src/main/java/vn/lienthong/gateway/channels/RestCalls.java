package vn.lienthong.gateway.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import vn.lienthong.gateway.identity.AgencyAuthenticator;
import vn.lienthong.gateway.identity.Authentication;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.identity.IdentityUnavailableException;
import vn.lienthong.gateway.identity.LoginThrottle;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * What every route of the agencies' REST channel shares: the calling agency from its bearer token
 * (401 without a good one, 503 while Keycloak cannot tell whether the agency is still enabled, 429
 * after too many failed ones from one address or for one client), and JSON answers and problems.
 */
public final class RestCalls {

    /** The media type of every JSON answer. */
    public static final String JSON = "application/json";
    /** The exchange property holding the authenticated caller. */
    public static final String CALLER = "LienthongCaller";
    private static final ObjectMapper MAPPER = CanonicalJson.mapper();

    private final Supplier<Registry> registry;
    private final AgencyAuthenticator authenticator;
    private final LoginThrottle throttle;

    /** REST calls checked against {@code registry} and {@code authenticator}. */
    public RestCalls(Registry registry, AgencyAuthenticator authenticator) {
        this(() -> registry, authenticator, null);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public RestCalls(Supplier<Registry> registry, AgencyAuthenticator authenticator) {
        this(registry, authenticator, null);
    }

    /**
     * The same, failed authentications counted by {@code throttle} per source address and claimed
     * client: over the limit, calls are answered 429 with {@code Retry-After} before any token check.
     */
    public RestCalls(Supplier<Registry> registry, AgencyAuthenticator authenticator, LoginThrottle throttle) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.throttle = throttle;
    }

    /**
     * The calling agency, from its bearer token (kept on the exchange for the pipeline); else the
     * response is written (401 or 503) and empty is returned. The token is taken off the message
     * so that nothing sends it on or echoes it.
     */
    public Optional<Agency> identify(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader(AgencyAuthenticator.AUTHORIZATION, String.class);
        exchange.getMessage().removeHeader(AgencyAuthenticator.AUTHORIZATION);
        String source = null;
        String client = null;
        if (throttle != null) {
            source = exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest().getRemoteAddr() : null;
            client = LoginThrottle.claimedClient(authorization).orElse(null);
            Optional<java.time.Duration> wait = throttle.refused(source, client);
            if (wait.isPresent()) {
                exchange.getMessage().setHeader("Retry-After", String.valueOf(Math.max(1, wait.get().toSeconds())));
                problem(exchange, 429, "TOO_MANY_FAILED_LOGINS", "too many failed authentications from this address or"
                        + " for this client; retry after the time in Retry-After");
                return Optional.empty();
            }
        }
        Authentication identity;
        try {
            identity = authenticator.bearer(authorization);
        } catch (IdentityUnavailableException e) {
            exchange.getMessage().setHeader("Retry-After", "30");
            problem(exchange, 503, "IDENTITY_UNAVAILABLE", "the gateway cannot reach Keycloak to check the caller; retry later");
            return Optional.empty();
        }
        if (identity instanceof Authentication.Refused refused) {
            if (throttle != null) {
                throttle.failed(source, client);
            }
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\""
                    + headerSafe(refused.reason()) + "\"");
            problem(exchange, 401, "NOT_AUTHENTICATED", refused.reason());
            return Optional.empty();
        }
        Caller caller = ((Authentication.Authenticated) identity).caller();
        exchange.setProperty(CALLER, caller);
        // The authenticator accepts only tokens of registry agencies.
        return registry.get().agency(caller.agency());
    }

    /** Printable ASCII without quotes or backslashes, for a quoted header parameter. */
    private static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.chars().forEach(c -> safe.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '?'));
        return safe.toString();
    }

    /** A UUID path parameter, or empty when it is not one. */
    public static Optional<UUID> uuid(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Answers {@code status} with a JSON problem: its code and a message for the caller. */
    public static void problem(Exchange exchange, int status, String code, String message) {
        respond(exchange, status, json(MAPPER.createObjectNode().put("code", code).put("message", message)));
    }

    /** Answers {@code status} with a JSON body. */
    public static void respond(Exchange exchange, int status, byte[] body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, JSON);
        exchange.getMessage().setBody(body);
    }

    /** A value as JSON bytes. */
    public static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value instanceof JsonNode ? value : MAPPER.valueToTree(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
