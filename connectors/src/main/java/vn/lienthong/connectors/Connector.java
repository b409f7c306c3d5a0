package vn.lienthong.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import vn.lienthong.schemas.v1.Envelope;

/**
 * Translates one agency format to and from canonical messages. Implementations are stateless and
 * thread-safe, found by {@link #format()} (the registry's {@code format} of a channel), and never
 * touch a database, a broker or another connector.
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
     * The receipts of one input in this format, as the file written beside it (SFTP) — e.g. a
     * result CSV with one row per input row. By default one receipt as is, several as a JSON array.
     *
     * @param receipts the canonical {@code receipt} messages, in input order
     */
    default byte[] receiptFile(List<byte[]> receipts) {
        if (receipts.size() == 1) {
            return receipts.get(0);
        }
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < receipts.size(); i++) {
            json.append(i == 0 ? "" : ",\n").append(new String(receipts.get(i), StandardCharsets.UTF_8));
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The receipt file of one input written as receipts come, in bounded memory; the same bytes as
     * {@link #receiptFile(List)} for the same receipts. By default: one receipt as is, several as a
     * JSON array (the first is held until the second comes, to tell the two apart).
     *
     * @param out where the file goes; flushed by {@link ReceiptFileWriter#finish()}, not closed
     */
    default ReceiptFileWriter receiptFileWriter(OutputStream out) {
        return new ReceiptFileWriter() {
            private byte[] first;
            private long count;

            @Override
            public void add(byte[] receipt) throws IOException {
                count++;
                if (count == 1) {
                    first = receipt;
                    return;
                }
                if (count == 2) {
                    out.write('[');
                    out.write(first);
                    first = null;
                }
                out.write(",\n".getBytes(StandardCharsets.UTF_8));
                out.write(receipt);
            }

            @Override
            public void finish() throws IOException {
                if (count == 1) {
                    out.write(first);
                } else {
                    if (count == 0) {
                        out.write('[');
                    }
                    out.write(']');
                }
                out.flush();
            }
        };
    }

    /** The name of the receipt file written beside an input file. */
    default String receiptFileName(String inputFileName) {
        return inputFileName + ".receipt.json";
    }

    /** The file name under which a message is written to an SFTP outbox. */
    default String fileName(Envelope message) {
        return message.type().wireName() + "-" + message.messageId() + extension();
    }

    /** The file extension of this format, with its dot. */
    String extension();
}
