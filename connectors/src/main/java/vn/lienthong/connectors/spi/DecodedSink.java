package vn.lienthong.connectors.spi;

/** Receives decoded items one by one, in input order. */
@FunctionalInterface
public interface DecodedSink {

    /** Accepts the next item. */
    void accept(Decoded item);
}
