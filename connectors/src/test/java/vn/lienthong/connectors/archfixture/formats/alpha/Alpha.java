package vn.lienthong.connectors.archfixture.formats.alpha;

import vn.lienthong.connectors.archfixture.formats.beta.Beta;

/** A deliberate format package that borrows from another format package, to show the rule fails on it. */
public final class Alpha {

    /** Borrowed from another format: what the rule forbids. */
    public static String name() {
        return Beta.name() + "-alpha";
    }
}
