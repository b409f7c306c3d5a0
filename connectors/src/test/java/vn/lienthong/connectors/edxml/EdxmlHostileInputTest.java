package vn.lienthong.connectors.edxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.connector;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.decode;
import static vn.lienthong.connectors.edxml.EdxmlFixtures.resource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;

/** What an attacker or a broken system may send: each is refused with a clear message and where. */
class EdxmlHostileInputTest {

    static final String GOLDEN = "formats/edxml/examples/report.periodic-province-october.edxml";
    static final String CONTENT = "/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded";

    static String golden() {
        return new String(resource(GOLDEN), StandardCharsets.UTF_8);
    }

    /** The golden document with its attachment's base64 replaced. */
    static byte[] withContent(String base64) {
        return golden().replaceFirst("<ContentTransferEncoded>[^<]*</ContentTransferEncoded>",
                "<ContentTransferEncoded>" + base64 + "</ContentTransferEncoded>").getBytes(StandardCharsets.UTF_8);
    }

    static String refusal(byte[] bytes) {
        try {
            decode(connector(), bytes);
        } catch (DecodeException e) {
            assertThat(e.location()).isEmpty();
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    static Decoded.Failure failure(byte[] bytes) throws Exception {
        List<Decoded> items = decode(connector(), bytes);
        assertThat(items).hasSize(1).first().isInstanceOf(Decoded.Failure.class);
        return (Decoded.Failure) items.get(0);
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<edXML><edXMLEnvelope><edXMLHeader><MessageHeader><DocumentId>&xxe;</DocumentId></MessageHeader>"
                + "</edXMLHeader></edXMLEnvelope></edXML>";
        String message = refusal(xxe.getBytes(StandardCharsets.UTF_8));
        assertThat(message).isEqualTo("not well-formed edXML at line 2, column 10: a DOCTYPE (DTD) is not allowed:"
                + " edXML needs none, and entities are refused").doesNotContain("TOP-SECRET");
        String external = "<?xml version=\"1.0\"?><!DOCTYPE edXML SYSTEM \"http://127.0.0.1:9/edxml.dtd\"><edXML/>";
        assertThat(refusal(external.getBytes(StandardCharsets.UTF_8))).contains("a DOCTYPE (DTD) is not allowed");
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            s.append(" <!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                s.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            }
            s.append("\">\n");
        }
        s.append("]>\n<edXML>&lol9;</edXML>");
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(refusal(s.toString().getBytes(StandardCharsets.UTF_8))).contains("a DOCTYPE (DTD) is not allowed");
        assertThat(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() - before).isLessThan(256L << 20);
    }

    @Test
    void tenThousandLevelsOfNestingAreRefused() {
        StringBuilder s = new StringBuilder("<edXML>");
        s.append("<x>".repeat(10_000)).append("</x>".repeat(10_000)).append("</edXML>");
        assertThat(refusal(s.toString().getBytes(StandardCharsets.UTF_8)))
                .startsWith("not well-formed edXML at line 1, column ")
                .endsWith(": elements are nested deeper than 64 levels");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithLineAndColumn() {
        byte[] doc = golden().replace("Ninh Bình", "Ninh BXnh").getBytes(StandardCharsets.UTF_8);
        int at = new String(doc, StandardCharsets.UTF_8).indexOf("BXnh") + 1;
        doc[at] = (byte) 0xEC; // "ì" in Windows-1258 / ISO-8859-1: a lead byte without its continuation
        String message = refusal(doc);
        assertThat(message).matches("bytes that are not UTF-8 at line [0-9]+, column [0-9]+ \\(byte offset " + at
                + "\\); edXML here is UTF-8 only");
        String latin1 = golden().replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
        assertThat(refusal(latin1.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("the XML declaration names encoding ISO-8859-1; edXML here is UTF-8 only");
        assertThat(refusal(golden().getBytes(StandardCharsets.UTF_16)))
                .isEqualTo("the document is not UTF-8 (UTF-16?); edXML here is UTF-8 only");
    }

    @Test
    void inputThatIsNotXmlOrTooLargeOrEmptyIsRefused() {
        assertThat(refusal(new byte[0])).isEqualTo("the input is empty");
        assertThat(refusal("{\"messageId\":1}".getBytes(StandardCharsets.UTF_8)))
                .startsWith("not well-formed edXML at line 1, column 1: ");
        assertThat(refusal(golden().substring(0, 500).getBytes(StandardCharsets.UTF_8)))
                .startsWith("not well-formed edXML at line ");
        byte[] huge = new byte[EdxmlConnector.MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(refusal(huge)).isEqualTo("the edXML document is larger than 16777216 bytes");
        assertThatThrownBy(() -> decode(connector(), "<html><body/></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DecodeException.class).hasMessage("the root element must be edXML (or edXMLEnvelope)")
                .satisfies(e -> assertThat(((DecodeException) e).location()).isEqualTo("/html"));
        assertThatThrownBy(() -> decode(connector(), "<edXML><edXMLEnvelope/></edXML>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DecodeException.class).hasMessage("edXMLHeader is missing")
                .satisfies(e -> assertThat(((DecodeException) e).location()).isEqualTo("/edXML/edXMLEnvelope"));
    }

    @Test
    void anAttachmentThatIsNotBase64IsAFailureAtItsXPath() throws Exception {
        Decoded.Failure f = failure(withContent("eyJtZXNz-YWdl!SWQi"));
        assertThat(f.location()).isEqualTo(CONTENT);
        assertThat(f.message()).startsWith("ContentTransferEncoded is not base64: Illegal base64 character");
        assertThat(failure(withContent("   ")).message()).isEqualTo("ContentTransferEncoded is missing or empty");
    }

    @Test
    void anAttachmentThatIsNotJsonIsAFailureThatDoesNotQuoteIt() throws Exception {
        String notJson = "{\"messageId\": \"x\", \"payload\": Nguyen Van A 001085012345}";
        Decoded.Failure f = failure(withContent(Base64.getEncoder().encodeToString(notJson.getBytes(StandardCharsets.UTF_8))));
        assertThat(f.location()).isEqualTo(CONTENT);
        assertThat(f.message()).isEqualTo("the attachment is not valid JSON (line 1, column 31)");
        Decoded.Failure array = failure(withContent(Base64.getEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8))));
        assertThat(array.message()).isEqualTo("the attachment is not a JSON object (a canonical message)");
        byte[] latin1 = "{\"caseRef\":\"Ninh B\u00ecnh\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(failure(withContent(Base64.getEncoder().encodeToString(latin1))).message())
                .isEqualTo("the attachment is not UTF-8 (byte offset 18)");
    }

    @Test
    void aZipBombIsStoppedAtTheMessageSizeLimit() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("bomb.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertThat(zip.size()).isLessThan(200_000);
        Decoded.Failure f = failure(withContent(Base64.getEncoder().encodeToString(zip.toByteArray())));
        assertThat(f.location()).isEqualTo(CONTENT);
        assertThat(f.message()).isEqualTo("the zipped attachment inflates beyond 5242880 bytes");
    }

    @Test
    void anotherAttachmentBesideTheMessageIsRefusedRatherThanDropped() throws Exception {
        String doc = golden().replace("  </AttachmentEncoded>", "    <Attachment>\n      <ContentId>x</ContentId>\n"
                + "      <AttachmentName>bien-ban.pdf</AttachmentName>\n      <ContentType>application/pdf</ContentType>\n"
                + "      <ContentTransferEncoded>JVBERi0xLjQ=</ContentTransferEncoded>\n    </Attachment>\n  </AttachmentEncoded>");
        Decoded.Failure f = failure(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(f.location()).isEqualTo("/edXML/AttachmentEncoded");
        assertThat(f.message()).isEqualTo("1 attachments besides lienthong-message.json: files travel by reference"
                + " (the message's attachments), not inside the edXML document");
        String wrongType = golden().replace("<ContentType>application/json</ContentType>", "<ContentType>text/plain</ContentType>");
        Decoded.Failure type = failure(wrongType.getBytes(StandardCharsets.UTF_8));
        assertThat(type.location()).isEqualTo("/edXML/AttachmentEncoded/Attachment");
        assertThat(type.message()).isEqualTo("lienthong-message.json has content type text/plain, application/json expected");
    }
}
