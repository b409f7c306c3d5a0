package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.journal.TestDatabase;

/**
 * Brute force across instances (issue 14 §6, DESIGN.md §7): two throttles made as the gateway makes
 * its own ({@link LoginLimits#throttle(DataSource)}, the default store) on one real PostgreSQL, as two
 * instances have. Failures spread over both reach the limit on both, for an SFTP login and for
 * token-less REST calls; once the window has refilled the buckets, the limit lifts on both.
 */
class SharedLoginLimitTest {

    /** 3 failures per client and 4 per address, forgiven one every second or so: lifts within this. */
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final LoginLimits LIMITS = new LoginLimits(4, 3, Duration.ofSeconds(3),
            LoginLimits.Store.DATABASE);

    @Test
    void failuresOnTwoInstancesCountTogetherAndTheLimitLifts() {
        DataSource database = TestDatabase.dataSource();
        LoginThrottle one = LIMITS.throttle(database);
        LoginThrottle two = LIMITS.throttle(database);
        // Addresses and clients of this run only: the database outlives test runs.
        String run = UUID.randomUUID().toString().substring(0, 8);
        String client = "prov-" + run;
        String address = "198.51.100." + run;
        SftpLogin passwords = SftpLogin.ofPasswords(Map.of(client, "right"));
        SftpLogin sftpOne = one.sftp(passwords);
        SftpLogin sftpTwo = two.sftp(passwords);

        // SFTP: two wrong passwords on one instance, one on the other: three for the client.
        assertThat(sftpOne.authenticate(client, "guess-1", "203.0.113.1")).isFalse();
        assertThat(sftpTwo.authenticate(client, "guess-2", "203.0.113.2")).isFalse();
        assertThat(sftpOne.authenticate(client, "guess-3", "203.0.113.3")).isFalse();
        // The client has spent its failures on both: even the right password is refused on each.
        assertThat(sftpTwo.authenticate(client, "right", "203.0.113.4")).isFalse();
        assertThat(sftpOne.authenticate(client, "right", "203.0.113.5")).isFalse();
        assertThat(one.refused(null, client)).isPresent();

        // REST: token-less calls from one address, alternating between the instances.
        for (int i = 0; i < 4; i++) {
            assertThat((i % 2 == 0 ? one : two).refused(address, null)).isEmpty();
            (i % 2 == 0 ? one : two).failed(address, null);
        }
        assertThat(one.refused(address, null)).isPresent();
        assertThat(two.refused(address, "another-client")).hasValueSatisfying(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3)));
        // Another address and another client are not held back by them.
        assertThat(two.refused("198.51.100.1" + run, "another-client")).isEmpty();

        // The window refills the buckets: the right password logs in again, the address is let in.
        await().atMost(WITHIN).until(() -> sftpTwo.authenticate(client, "right", "203.0.113.6"));
        await().atMost(WITHIN).until(() -> one.refused(address, null).isEmpty() && two.refused(address, null).isEmpty());
    }
}
