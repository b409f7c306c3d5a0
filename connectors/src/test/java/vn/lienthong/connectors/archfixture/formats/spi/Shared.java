package vn.lienthong.connectors.archfixture.formats.spi;

/** A shared helper every format package may use. */
public final class Shared {

    /** Something shared. */
    public static String name() {
        return "shared";
    }
}
