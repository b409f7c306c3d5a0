package vn.lienthong.gateway.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * An agency's own retry policy for deliveries to it (registry key {@code retry}), each part
 * optional: what is not given is the gateway's default ({@code lienthong.dispatch.*}). The n-th
 * retry waits initialDelay * multiplier^(n-1), at most maxDelay; a delivery still failing
 * giveUpAfter after it was accepted (or after maxAttempts attempts) is FAILED and waits for an
 * operator.
 */
public record Retry(Optional<Duration> initialDelay, Optional<Double> multiplier, Optional<Duration> maxDelay,
        Optional<Duration> giveUpAfter, Optional<Integer> maxAttempts) {

    /** The registry key and its parts, as written in agencies.yaml. */
    static final java.util.List<String> KEYS = java.util.List.of("initialDelay", "multiplier", "maxDelay",
            "giveUpAfter", "maxAttempts");
}
