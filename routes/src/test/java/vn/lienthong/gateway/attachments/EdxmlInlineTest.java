package vn.lienthong.gateway.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.lienthong.connectors.edxml.EdxmlConnector;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;

/** edXML deliveries carry their attachments inside: base64 in AttachmentEncoded, referenced in the manifest. */
class EdxmlInlineTest {

    private static final String NS = EdxmlConnector.DEFAULT_NAMESPACE;

    @Test
    void theFilesGoInsideTheConnectorsDocumentAfterTheMessageItself() throws Exception {
        byte[] canonical;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                "lienthong/examples/v1/case.transfer/valid-counterfeit-cosmetics-to-c03.json")) {
            canonical = in.readAllBytes();
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) new MessageValidator().validate(canonical);
        byte[] edxml = new EdxmlConnector().encode(valid.message(), canonical);
        byte[] file = new byte[300_001];
        new Random(102).nextBytes(file);
        String sha256 = "1520d0280079440bd83483b19a55266b755ccd1fdfb29e0f2836056a1789862c";

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EdxmlInline.write(edxml, List.of(new EdxmlInline.InlineFile("Quyết định <27>.pdf", "application/pdf", sha256,
                () -> new ByteArrayInputStream(file))), out);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
        NodeList references = doc.getElementsByTagNameNS(NS, "Reference");
        assertThat(references.getLength()).isEqualTo(2);
        Element reference = (Element) references.item(1);
        assertThat(text(reference, "ContentId")).isEqualTo("cid:" + sha256);
        assertThat(text(reference, "AttachmentName")).isEqualTo("Quyết định <27>.pdf");
        NodeList attachments = doc.getElementsByTagNameNS(NS, "Attachment");
        assertThat(attachments.getLength()).isEqualTo(2);
        Element first = (Element) attachments.item(0);
        assertThat(text(first, "AttachmentName")).isEqualTo(EdxmlConnector.ATTACHMENT_NAME);
        assertThat(Base64.getDecoder().decode(text(first, "ContentTransferEncoded"))).isEqualTo(canonical);
        Element second = (Element) attachments.item(1);
        assertThat(text(second, "ContentId")).isEqualTo(sha256);
        assertThat(text(second, "ContentType")).isEqualTo("application/pdf");
        assertThat(Base64.getDecoder().decode(text(second, "ContentTransferEncoded"))).isEqualTo(file);
    }

    @Test
    void aDocumentThatIsNotTheConnectorsIsRefused() {
        assertThatThrownBy(() -> EdxmlInline.write("<edXML/>".getBytes(StandardCharsets.UTF_8), List.of(),
                new ByteArrayOutputStream())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(Element parent, String local) {
        return parent.getElementsByTagNameNS(NS, local).item(0).getTextContent();
    }
}
