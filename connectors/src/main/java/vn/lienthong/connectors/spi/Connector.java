package vn.lienthong.connectors.spi;

import java.io.IOException;
import java.io.InputStream;
import vn.lienthong.schemas.v1.Envelope;

/**
 * Translates one agency format to and from canonical messages: decode, encode, the file name and
 * media type of its bytes, where a canonical member stands in the native input, and whether it
 * verifies signatures of its own. Implementations are stateless and thread-safe, declared in
 * {@code META-INF/services/vn.lienthong.connectors.spi.Connector}, found by {@link #format()} (the
 * registry's {@code format} of a channel), and never touch a database, a broker or another
 * connector. Channel concerns stay out: the receipt file beside an SFTP input is
 * {@link vn.lienthong.connectors.files.ReceiptFiles}.
 */
public interface Connector {

    /** The format name the registry uses, e.g. {@code canonical-json}. */
    String format();

    /** The media type of the native bytes, e.g. {@code application/json}. */
    String mediaType();

    /**
     * Whether inputs of this format can carry a signature of their own that this connector verifies,
     * i.e. whether its items can be {@link Decoded.Signature.Status#VERIFIED}. By default not: its
     * items are {@link Decoded.Signature#NOT_APPLICABLE} and the channel alone authenticates them.
     */
    default boolean verifiesSignatures() {
        return false;
    }

    /**
     * Decodes native input into canonical JSON documents, handing each to the sink as it is read so
     * that large batches stream in bounded memory. An item that cannot be decoded goes to the sink
     * as a {@link Decoded.Failure} naming its line, field or XPath; a failure of the whole input
     * (unreadable, wrong trailer) is thrown as {@link DecodeException}.
     *
     * @param in the native bytes; not closed
     * @param sourceName where the input came from (file, queue), for error messages only
     */
    void decode(InputStream in, String sourceName, DecodedSink sink) throws DecodeException, IOException;

    /**
     * Where a member of a decoded item stands in the native input, so that a validation error of a
     * native input names the place its sender can find: an XPath, a CSV line and column, a police
     * JSON pointer. By default the native place the decoder recorded for the pointer or its nearest
     * ancestor ({@link Decoded.Canonical#places()}), else the canonical pointer unchanged (canonical
     * JSON has no other place).
     *
     * @param item the decoded item the error is about
     * @param canonicalPointer a JSON pointer into the canonical message ("" for the whole message)
     */
    default String nativeLocation(Decoded.Canonical item, String canonicalPointer) {
        String pointer = canonicalPointer;
        while (true) {
            String place = item.places().get(pointer);
            if (place != null) {
                return place;
            }
            int slash = pointer.lastIndexOf('/');
            if (slash < 0) {
                return canonicalPointer;
            }
            pointer = pointer.substring(0, slash);
        }
    }

    /**
     * Encodes an accepted canonical message for a recipient.
     *
     * @param message the typed message
     * @param canonicalJson the same message as the journal keeps it (normalized canonical JSON)
     */
    byte[] encode(Envelope message, byte[] canonicalJson);

    /**
     * Whether {@link #encode} returns the canonical JSON unchanged, so that a sender may skip binding
     * the typed message (the costliest part of a delivery in this format). By default not.
     */
    default boolean encodesCanonicalAsIs() {
        return false;
    }

    /** The file name under which a message is written to an SFTP outbox. */
    default String fileName(Envelope message) {
        return message.type().wireName() + "-" + message.messageId() + extension();
    }

    /** The file extension of this format, with its dot. */
    String extension();
}
