package vn.lienthong.gateway.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Brute-force limits ({@code lienthong.login-limits.*}) of the agencies' REST channel: failed
 * authentications allowed per source address and per client id in a period (see {@link LoginThrottle}).
 *
 * @param failuresPerSource failures one address may have in the period
 * @param failuresPerClient failures one client id may have in the period
 * @param period the period over which failures are forgiven
 */
@ConfigurationProperties(prefix = "lienthong.login-limits")
public record LoginLimits(
        @DefaultValue("20") int failuresPerSource,
        @DefaultValue("10") int failuresPerClient,
        @DefaultValue("1m") Duration period) {

    /** The throttle these limits make. */
    public LoginThrottle throttle() {
        return new LoginThrottle(new LoginThrottle.Limit(failuresPerSource, period),
                new LoginThrottle.Limit(failuresPerClient, period));
    }
}
