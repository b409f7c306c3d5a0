package vn.lienthong.schemas.archfixture.cycle.a;

import vn.lienthong.schemas.archfixture.cycle.b.Pong;

/** A deliberate package cycle (a -> b -> a), to show that {@code SchemasArchitectureTest}'s rule fails on one. */
public final class Ping {

    /** The other side of the cycle. */
    public Pong pong() {
        return new Pong();
    }
}
