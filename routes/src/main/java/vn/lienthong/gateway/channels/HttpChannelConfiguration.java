package vn.lienthong.gateway.channels;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP binding's policy as a bean, so that {@code application.yaml} hands it to the
 * platform-http component ({@code camel.component.platform-http.header-filter-strategy}), which
 * gives it to every HTTP endpoint the REST DSL makes.
 */
@Configuration
public class HttpChannelConfiguration {

    /** The bean name {@code application.yaml} refers to. */
    public static final String HEADER_POLICY = "httpHeaderPolicy";

    @Bean(HEADER_POLICY)
    HttpHeaderPolicy httpHeaderPolicy() {
        return new HttpHeaderPolicy();
    }
}
