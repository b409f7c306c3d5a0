package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import vn.lienthong.gateway.GatewayApplication;

/** The production profile without a receipt key store: the gateway does not start, and says what to set. */
class ProductionReceiptKeyTest {

    @Test
    void productionWithoutAKeyStoreRefusesToStart() {
        Map<String, Object> properties = new LinkedHashMap<>(FlowSupport.properties());
        properties.keySet().removeIf(k -> k.startsWith("lienthong.receipts."));
        properties.put("server.port", "0");
        properties.put("spring.profiles.active", "production");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);

        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class).run(args).close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no receipt signing key")
                .hasMessageContaining("LIENTHONG_RECEIPTS_KEY_STORE");
    }
}
