package vn.lienthong.connectors.archfixture.formats.beta;

import vn.lienthong.connectors.archfixture.formats.spi.Shared;

/** A format package using only the shared helper (allowed). */
public final class Beta {

    /** Uses the shared helper. */
    public static String name() {
        return Shared.name() + "-beta";
    }
}
