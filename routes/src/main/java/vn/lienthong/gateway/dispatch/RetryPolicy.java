package vn.lienthong.gateway.dispatch;

import java.time.Duration;

/**
 * Exponential backoff for deliveries: the n-th retry waits initialDelay * multiplier^(n-1), at most
 * maxDelay; after maxAttempts failed attempts the delivery is FAILED and waits for an operator.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1 || multiplier < 1.0 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("invalid retry policy");
        }
    }

    /** The wait before the next attempt, after {@code failedAttempts} failures (at least 1). */
    public Duration delayAfter(int failedAttempts) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** Whether a delivery that failed this many times is given up. */
    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }
}
