package vn.lienthong.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The bounds on a broker's acceptance time before a queued input's token is checked as of it. */
class QueueAgeBoundTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final QueueAgeBound bound = new QueueAgeBound(Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTimeWithinTheMaximumAgeStands() {
        assertThat(bound.refusal(NOW)).isEmpty();
        assertThat(bound.refusal(NOW.minus(Duration.ofDays(7)))).isEmpty();
        assertThat(bound.refusal(NOW.plus(TokenVerifier.SKEW))).as("clocks differ a little").isEmpty();
    }

    @Test
    void anInputThatWaitedLongerThanTheMaximumAgeIsRefusedSayingSo() {
        Instant old = NOW.minus(Duration.ofDays(7)).minusSeconds(1);
        assertThat(bound.refusal(old)).hasValue("the input waited in the broker since " + old + ", longer than PT168H"
                + " (lienthong.identity.max-queued-age): its token no longer counts; send it again with a new token");
    }

    @Test
    void aBrokerTimeInTheFutureIsRefused() {
        Instant future = NOW.plus(TokenVerifier.SKEW).plusSeconds(1);
        assertThat(bound.refusal(future)).hasValue("the broker says it accepted the input at " + future
                + ", in the future of the gateway's clock (" + NOW + ")");
    }

    @Test
    void theMaximumAgeMustBePositive() {
        assertThatThrownBy(() -> new QueueAgeBound(Duration.ZERO, Clock.systemUTC()))
                .hasMessageContaining("lienthong.identity.max-queued-age must be more than 0");
    }
}
