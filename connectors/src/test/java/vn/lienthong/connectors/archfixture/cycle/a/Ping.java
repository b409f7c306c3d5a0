package vn.lienthong.connectors.archfixture.cycle.a;

import vn.lienthong.connectors.archfixture.cycle.b.Pong;

/** A deliberate package cycle (a -> b -> a), to show that {@code ConnectorsArchitectureTest}'s cycle rule fails on one. */
public final class Ping {

    /** The other side of the cycle. */
    public Pong pong() {
        return new Pong();
    }
}
