package vn.lienthong.gateway.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** The workflows' (and reports') time in tests: the real clock, moved to a chosen instant and running on from there. */
public final class MovableTime implements InstantSource {
    private volatile Duration offset = Duration.ZERO;

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** From now on, the time is {@code at} and runs on. */
    public void moveTo(Instant at) {
        offset = Duration.between(Instant.now(), at);
    }
}
