package vn.lienthong.gateway.channels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The HTTP binding's allow-lists, without a server (HeaderReflectionTest drives the real one). */
class HttpHeaderPolicyTest {

    private final HttpHeaderPolicy policy = new HttpHeaderPolicy();

    @Test
    void onlyTheGatewaysResponseHeadersGoOut() {
        for (String name : new String[] {"Content-Type", "lienthong-receipt-jws", "WWW-Authenticate", "Retry-After",
                "Cache-Control"}) {
            assertThat(policy.applyFilterToCamelHeaders(name, "value", null)).as(name).isFalse();
        }
        assertThat(policy.applyFilterToCamelHeaders("Lienthong-Anything-New", "value", null)).isFalse();
        for (String name : new String[] {"Set-Cookie", "Location", "Authorization", "Accept", "limit", "id",
                "CamelHttpQuery", "CamelHttpUri", "Content-Length", "Content-Encoding", "X-Anything"}) {
            assertThat(policy.applyFilterToCamelHeaders(name, "value", null)).as(name).isTrue();
        }
    }

    @Test
    void noValueWithAControlCharacterGoesOutOrComesIn() {
        assertThat(policy.applyFilterToCamelHeaders("Retry-After", "30\r\nSet-Cookie: a=1", null)).isTrue();
        assertThat(policy.applyFilterToCamelHeaders("Retry-After", "30\n", null)).isTrue();
        assertThat(policy.applyFilterToCamelHeaders("WWW-Authenticate", "Bearer error=\"invalid_token\"\t", null)).isFalse();
        assertThat(policy.applyFilterToCamelHeaders("Content-Type", "application/json; charset=ünïcode", null)).isTrue();
        assertThat(HttpHeaderPolicy.fieldValue("Bearer abc\u0000")).isFalse();
    }

    @Test
    void withoutTheServletRequestNothingComesIn() {
        // Fails closed: the binding always has it; anything else is not the binding this was made for.
        assertThat(policy.applyFilterToExternalHeaders("Authorization", "Bearer x", null)).isTrue();
        assertThat(policy.applyFilterToExternalHeaders("X-Anything", "x", null)).isTrue();
        // The gateway's namespace goes out, so it never comes in.
        assertThat(policy.applyFilterToExternalHeaders("Lienthong-Receipt-Jws", "forged", null)).isTrue();
    }
}
