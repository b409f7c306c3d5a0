package vn.lienthong.schemas.archfixture.cycle.b;

import vn.lienthong.schemas.archfixture.cycle.a.Ping;

/** The way back of the deliberate cycle (b -> a). */
public final class Pong {

    /** The other side of the cycle. */
    public Ping ping() {
        return new Ping();
    }
}
