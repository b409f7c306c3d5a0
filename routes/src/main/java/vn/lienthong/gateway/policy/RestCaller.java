package vn.lienthong.gateway.policy;

import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Tells which agency makes a REST call. Until bearer tokens are checked against Keycloak, the
 * caller names itself in the {@code X-Lienthong-Agency} header: a development stand-in that
 * proves nothing and must not face the internet.
 */
public final class RestCaller {

    /** The header an agency names itself in, until tokens replace it. */
    public static final String AGENCY_HEADER = "X-Lienthong-Agency";

    /** The calling agency's code, when the request says it. */
    public Optional<String> agency(Exchange exchange) {
        String code = exchange.getMessage().getHeader(AGENCY_HEADER, String.class);
        return code == null || code.isBlank() ? Optional.empty() : Optional.of(code.trim());
    }
}
