package vn.lienthong.gateway.identity;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Brute-force limits ({@code lienthong.login-limits.*}) of the agencies' REST channel: failed
 * authentications allowed per source address and per client id in a period (see {@link LoginThrottle}).
 *
 * @param failuresPerSource failures one address may have in the period
 * @param failuresPerClient failures one client id may have in the period
 * @param period the period over which failures are forgiven
 * @param store where failures are counted: {@code database} (shared by every instance; the default)
 *     or {@code memory} (this instance only)
 */
@ConfigurationProperties(prefix = "lienthong.login-limits")
public record LoginLimits(
        @DefaultValue("20") int failuresPerSource,
        @DefaultValue("10") int failuresPerClient,
        @DefaultValue("1m") Duration period,
        @DefaultValue("database") Store store) {

    /** Where failures are counted. */
    public enum Store {
        /** In the gateway's PostgreSQL (table login_bucket): failures on one instance count on all. */
        DATABASE,
        /** In this instance's memory. */
        MEMORY
    }

    /** The throttle these limits make in this instance's memory. */
    public LoginThrottle throttle() {
        return new LoginThrottle(perSource(), perClient());
    }

    /** The throttle these limits make in the configured store ({@code dataSource}: the gateway's database). */
    public LoginThrottle throttle(DataSource dataSource) {
        return store == Store.MEMORY ? throttle() : LoginThrottle.onDatabase(dataSource, perSource(), perClient());
    }

    private LoginThrottle.Limit perSource() {
        return new LoginThrottle.Limit(failuresPerSource, period);
    }

    private LoginThrottle.Limit perClient() {
        return new LoginThrottle.Limit(failuresPerClient, period);
    }
}
