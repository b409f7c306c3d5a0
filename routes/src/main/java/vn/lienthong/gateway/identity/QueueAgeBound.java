package vn.lienthong.gateway.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The bounds on the time a broker says it accepted a queued input, before a token is checked as
 * of that time: not in the future (beyond {@link TokenVerifier#SKEW}) and not older than the
 * longest wait the gateway accepts ({@code lienthong.identity.max-queued-age}).
 */
public final class QueueAgeBound {

    private final Duration maxQueuedAge;
    private final Clock clock;

    /** Bounds with this longest wait in a broker, on the gateway's clock. */
    public QueueAgeBound(Duration maxQueuedAge, Clock clock) {
        this.maxQueuedAge = Objects.requireNonNull(maxQueuedAge, "maxQueuedAge");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxQueuedAge.isNegative() || maxQueuedAge.isZero()) {
            throw new IllegalArgumentException("lienthong.identity.max-queued-age must be more than 0, not " + maxQueuedAge);
        }
    }

    /** The longest wait in a broker after which an input's token no longer counts. */
    public Duration maxQueuedAge() {
        return maxQueuedAge;
    }

    /** Why a broker time cannot stand for the token check, or empty when it can. */
    public Optional<String> refusal(Instant acceptedAt) {
        Instant now = clock.instant();
        if (acceptedAt.isAfter(now.plus(TokenVerifier.SKEW))) {
            return Optional.of("the broker says it accepted the input at " + acceptedAt
                    + ", in the future of the gateway's clock (" + now + ")");
        }
        if (acceptedAt.isBefore(now.minus(maxQueuedAge))) {
            return Optional.of("the input waited in the broker since " + acceptedAt + ", longer than "
                    + maxQueuedAge + " (lienthong.identity.max-queued-age): its token no longer counts; send it again"
                    + " with a new token");
        }
        return Optional.empty();
    }
}
