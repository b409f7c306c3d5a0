package vn.lienthong.gateway.dispatch;

import java.time.Duration;
import java.util.Objects;
import vn.lienthong.gateway.registry.Retry;

/**
 * Exponential backoff for deliveries: the n-th retry waits initialDelay * multiplier^(n-1), at most
 * maxDelay. A delivery is given up (FAILED, it waits for an operator) when it has failed
 * maxAttempts times (0: no limit by count) or when giveUpAfter has passed since it was accepted
 * (zero: no limit by time). The default rides out a recipient's outage of hours: 1 s doubling to
 * 5 min, for 24 h.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
        Duration giveUpAfter) {

    /** The gateway's default: 1 s doubling to 5 min between attempts, given up after 24 h. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(0, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
            Duration.ofHours(24));

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (maxAttempts < 0 || multiplier < 1.0 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0
                || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("invalid retry policy " + describe(maxAttempts, initialDelay,
                    multiplier, maxDelay, giveUpAfter));
        }
        if (maxAttempts == 0 && giveUpAfter.isZero()) {
            throw new IllegalArgumentException("a retry policy needs a limit: maxAttempts or giveUpAfter");
        }
    }

    /** A policy limited by the number of attempts only. */
    public RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {
        this(maxAttempts, initialDelay, multiplier, maxDelay, Duration.ZERO);
    }

    /** This policy with the parts an agency's registry entry gives instead. */
    public RetryPolicy with(Retry retry) {
        return new RetryPolicy(retry.maxAttempts().orElse(maxAttempts), retry.initialDelay().orElse(initialDelay),
                retry.multiplier().orElse(multiplier), retry.maxDelay().orElse(maxDelay),
                retry.giveUpAfter().orElse(giveUpAfter));
    }

    /** The wait before the next attempt, after {@code failedAttempts} failures (at least 1). */
    public Duration delayAfter(int failedAttempts) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** Whether a delivery that failed this many times is given up (by count only). */
    public boolean exhausted(int failedAttempts) {
        return maxAttempts > 0 && failedAttempts >= maxAttempts;
    }

    /** Whether a delivery that failed this many times, accepted {@code age} ago, is given up. */
    public boolean exhausted(int failedAttempts, Duration age) {
        return exhausted(failedAttempts) || (!giveUpAfter.isZero() && age.compareTo(giveUpAfter) >= 0);
    }

    @Override
    public String toString() {
        return describe(maxAttempts, initialDelay, multiplier, maxDelay, giveUpAfter);
    }

    private static String describe(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
            Duration giveUpAfter) {
        return initialDelay + " x" + multiplier + " up to " + maxDelay + ", given up after "
                + (giveUpAfter.isZero() ? "" : giveUpAfter) + (maxAttempts > 0 ? (giveUpAfter.isZero() ? "" : " or ")
                + maxAttempts + " attempts" : "");
    }
}
