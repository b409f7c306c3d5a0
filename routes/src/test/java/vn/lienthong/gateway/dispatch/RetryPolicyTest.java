package vn.lienthong.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.registry.Retry;

/** The default policy rides out outages of hours; an agency's registry entry changes the parts it names. */
class RetryPolicyTest {

    @Test
    void theDefaultDoublesFromOneSecondToFiveMinutesAndGivesUpAfterADay() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.delayAfter(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(p.delayAfter(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.delayAfter(500)).isEqualTo(Duration.ofMinutes(5));

        // Walk an outage attempt by attempt: after an hour (and after 23) the delivery is still PENDING.
        Duration waited = Duration.ZERO;
        int attempts = 0;
        while (waited.compareTo(Duration.ofHours(23)) < 0) {
            attempts++;
            assertThat(p.exhausted(attempts, waited)).as("after %s attempts, %s", attempts, waited).isFalse();
            waited = waited.plus(p.delayAfter(attempts));
        }
        assertThat(attempts).as("the old policy gave up after 8").isGreaterThan(8);
        assertThat(p.exhausted(attempts, Duration.ofHours(24))).isTrue();
    }

    @Test
    void aCountLimitStillWorksAndARegistryEntryReplacesOnlyWhatItNames() {
        RetryPolicy old = new RetryPolicy(8, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));
        assertThat(old.exhausted(7, Duration.ofDays(30))).isFalse();
        assertThat(old.exhausted(8, Duration.ZERO)).isTrue();

        RetryPolicy sbv = RetryPolicy.DEFAULT.with(new Retry(Optional.of(Duration.ofSeconds(2)), Optional.empty(),
                Optional.of(Duration.ofMinutes(10)), Optional.of(Duration.ofDays(3)), Optional.empty()));
        assertThat(sbv).isEqualTo(new RetryPolicy(0, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10),
                Duration.ofDays(3)));
        assertThat(RetryPolicies.of(RetryPolicy.DEFAULT, vn.lienthong.gateway.registry.Registry.load(
                java.nio.file.Path.of("../config/agencies.yaml"))).apply("SBV")).isEqualTo(RetryPolicy.DEFAULT);
    }

    @Test
    void aPolicyWithoutAnyLimitIsRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a limit");
    }
}
