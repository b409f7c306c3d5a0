package vn.lienthong.gateway.attachments;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Puts a message's attachments inside its edXML document, as QCVN 102 carries files: each one an
 * {@code Attachment} of {@code AttachmentEncoded} (base64, after the canonical message's own) with
 * its {@code Reference} in the manifest ({@code ContentId} {@code cid:<sha256>}). The document the
 * connector wrote is copied with the files spliced in, their bytes streamed from the store through
 * a base64 encoder into {@code out}: a file is never held in memory.
 */
public final class EdxmlInline {

    private static final byte[] MANIFEST_END = "</edXML:edXMLManifest>".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTACHMENTS_END = "  </AttachmentEncoded>".getBytes(StandardCharsets.US_ASCII);

    /** An attachment to put inline: its entry's name, media type and SHA-256, and its bytes. */
    public record InlineFile(String name, String mediaType, String sha256, Opener bytes) {
    }

    /** Opens an attachment's bytes (the caller closes the stream). */
    @FunctionalInterface
    public interface Opener {
        /** A new stream of the file's bytes. */
        InputStream open() throws IOException;
    }

    private EdxmlInline() {
    }

    /**
     * Writes {@code edxml} (a document of the edXML connector) to {@code out} with {@code files}
     * inside.
     *
     * @throws IllegalArgumentException when the document has no manifest or no AttachmentEncoded
     */
    public static void write(byte[] edxml, List<InlineFile> files, OutputStream out) throws IOException {
        int manifestEnd = indexOf(edxml, MANIFEST_END, 0);
        int attachmentsEnd = manifestEnd < 0 ? -1 : lastIndexOf(edxml, ATTACHMENTS_END);
        if (manifestEnd < 0 || attachmentsEnd < manifestEnd) {
            throw new IllegalArgumentException("not an edXML document of the connector (no manifest or AttachmentEncoded)");
        }
        int lineStart = manifestEnd;
        while (lineStart > 0 && edxml[lineStart - 1] == ' ') {
            lineStart--;
        }
        String indent = " ".repeat(manifestEnd - lineStart);
        out.write(edxml, 0, lineStart);
        for (InlineFile f : files) {
            ascii(out, indent + "  <edXML:Reference>\n"
                    + indent + "    <edXML:ContentId>cid:" + f.sha256() + "</edXML:ContentId>\n"
                    + indent + "    <edXML:ContentType>" + text(f.mediaType()) + "</edXML:ContentType>\n");
            out.write((indent + "    <edXML:AttachmentName>" + text(f.name()) + "</edXML:AttachmentName>\n")
                    .getBytes(StandardCharsets.UTF_8));
            ascii(out, indent + "  </edXML:Reference>\n");
        }
        out.write(edxml, lineStart, attachmentsEnd - lineStart);
        for (InlineFile f : files) {
            ascii(out, "    <Attachment>\n      <ContentId>" + f.sha256() + "</ContentId>\n");
            out.write(("      <AttachmentName>" + text(f.name()) + "</AttachmentName>\n").getBytes(StandardCharsets.UTF_8));
            ascii(out, "      <ContentType>" + text(f.mediaType()) + "</ContentType>\n      <ContentTransferEncoded>");
            try (InputStream in = f.bytes().open(); OutputStream base64 = Base64.getEncoder().wrap(new Unclosed(out))) {
                in.transferTo(base64);
            }
            ascii(out, "</ContentTransferEncoded>\n    </Attachment>\n");
        }
        out.write(edxml, attachmentsEnd, edxml.length - attachmentsEnd);
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** XML character data. */
    private static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        for (int i = from; i <= data.length - what.length; i++) {
            if (at(data, what, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] data, byte[] what) {
        for (int i = data.length - what.length; i >= 0; i--) {
            if (at(data, what, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean at(byte[] data, byte[] what, int i) {
        for (int j = 0; j < what.length; j++) {
            if (data[i + j] != what[j]) {
                return false;
            }
        }
        return true;
    }

    /** The output stream without its close: the base64 encoder's close writes the padding only. */
    private static final class Unclosed extends FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
