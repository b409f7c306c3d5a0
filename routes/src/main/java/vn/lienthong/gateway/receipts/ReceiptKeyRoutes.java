package vn.lienthong.gateway.receipts;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * {@code GET /api/v1/keys}: the public keys receipts are signed with, as a JWK set (RFC 7517).
 *
 * <p>PUBLIC ON PURPOSE: this is the one {@code /api/v1} endpoint without authentication. A receipt
 * must be verifiable by anyone who holds it (the sender, an auditor, a court), and the set holds
 * public keys only. Do not put it behind the token check that guards the rest of the API.
 */
public final class ReceiptKeyRoutes extends RouteBuilder {

    /** The media type of a JWK set (RFC 7517 §8.5.1). */
    public static final String JWK_SET_MEDIA_TYPE = "application/jwk-set+json";

    private final byte[] keySet;

    /** The route publishing these keys. */
    public ReceiptKeyRoutes(ReceiptKeys keys) {
        // toString() of a JWKSet writes public keys only.
        this.keySet = keys.publicKeys().toString(true).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void configure() {
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);
        rest("/api/v1").get("/keys").routeId("api-keys").to("direct:api-keys");
        from("direct:api-keys").routeId("api-keys-process").process(exchange -> {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, JWK_SET_MEDIA_TYPE);
            // Keys change only with a restart after a rollover; let verifiers cache them a little.
            exchange.getMessage().setHeader("Cache-Control", "public, max-age=300");
            exchange.getMessage().setBody(keySet);
        });
    }
}
