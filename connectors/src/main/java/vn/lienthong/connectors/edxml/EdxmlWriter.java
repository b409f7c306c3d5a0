package vn.lienthong.connectors.edxml;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import vn.lienthong.connectors.edxml.EdxmlConnector.Organ;
import vn.lienthong.schemas.v1.Envelope;

/**
 * Writes the edXML document of a canonical message in the form the national platform (VPCP) and
 * the provincial platforms (LGSP) accept: root {@code edXML} in the edXML namespace as default,
 * {@code edXMLEnvelope} and its descendants with the {@code edXML:} prefix, {@code AttachmentEncoded}
 * after the envelope. Deterministic: the same message gives the same bytes.
 */
final class EdxmlWriter {

    private final String namespace;
    private final StringBuilder out = new StringBuilder(4096);
    private int depth;

    EdxmlWriter(String namespace) {
        this.namespace = namespace;
    }

    byte[] write(Envelope m, HeaderFields h, Organ from, List<Organ> to, byte[] canonicalJson) {
        String id = m.messageId().toString();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<edXML xmlns=\"").append(attribute(namespace)).append("\">\n");
        depth = 1;
        open("edXMLEnvelope", " xmlns:edXML=\"" + attribute(namespace) + "\"");
        open("edXMLHeader", "");
        open("MessageHeader", "");
        organ("From", from);
        for (Organ o : to) {
            organ("To", o);
        }
        open("Code", "");
        leaf("CodeNumber", h.codeNumber());
        leaf("CodeNotation", h.codeNotation());
        close("Code");
        open("PromulgationInfo", "");
        leaf("Place", "");
        leaf("PromulgationDate", h.promulgationDate());
        close("PromulgationInfo");
        open("DocumentType", "");
        leaf("Type", "1");
        leaf("TypeName", h.typeName());
        close("DocumentType");
        leaf("Subject", h.subject());
        open("SignerInfo", "");
        leaf("Competence", "");
        leaf("Position", h.signerPosition());
        leaf("FullName", h.signerName());
        close("SignerInfo");
        if (h.dueDate() != null) {
            leaf("DueDate", h.dueDate());
        }
        open("OtherInfo", "");
        leaf("Priority", h.priority());
        close("OtherInfo");
        if (m.inReplyTo() != null) {
            open("ResponseFor", "");
            leaf("DocumentId", m.inReplyTo().toString());
            close("ResponseFor");
        }
        leaf("DocumentId", id);
        close("MessageHeader");
        open("TraceHeaderList", "");
        open("TraceHeader", "");
        leaf("OrganId", from.organId());
        leaf("Timestamp", h.timestamp());
        close("TraceHeader");
        close("TraceHeaderList");
        close("edXMLHeader");
        open("edXMLBody", "");
        open("edXMLManifest", " version=\"1.0\"");
        open("Reference", "");
        leaf("ContentId", "cid:" + id);
        leaf("ContentType", "application/json");
        leaf("AttachmentName", EdxmlConnector.ATTACHMENT_NAME);
        leaf("Description", "Thông điệp lienthong (canonical JSON v1) " + m.type().wireName());
        close("Reference");
        close("edXMLManifest");
        close("edXMLBody");
        close("edXMLEnvelope");
        // Outside the envelope and unprefixed: in the root's default namespace, as VPCP writes it.
        out.append("  <AttachmentEncoded>\n");
        out.append("    <Attachment>\n");
        out.append("      <ContentId>").append(text(id)).append("</ContentId>\n");
        out.append("      <AttachmentName>").append(EdxmlConnector.ATTACHMENT_NAME).append("</AttachmentName>\n");
        out.append("      <ContentType>application/json</ContentType>\n");
        out.append("      <ContentTransferEncoded>").append(Base64.getEncoder().encodeToString(canonicalJson))
                .append("</ContentTransferEncoded>\n");
        out.append("    </Attachment>\n");
        out.append("  </AttachmentEncoded>\n");
        out.append("</edXML>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void organ(String element, Organ organ) {
        open(element, "");
        leaf("OrganId", organ.organId());
        leaf("OrganName", organ.organName());
        close(element);
    }

    private void open(String name, String attributes) {
        indent();
        out.append("<edXML:").append(name).append(attributes).append(">\n");
        depth++;
    }

    private void close(String name) {
        depth--;
        indent();
        out.append("</edXML:").append(name).append(">\n");
    }

    private void leaf(String name, String value) {
        indent();
        if (value == null || value.isEmpty()) {
            out.append("<edXML:").append(name).append("/>\n");
        } else {
            out.append("<edXML:").append(name).append('>').append(text(value)).append("</edXML:").append(name).append(">\n");
        }
    }

    private void indent() {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    /** Escaped character data; characters XML 1.0 cannot carry become U+FFFD (the JSON keeps the original). */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\r' -> b.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String attribute(String s) {
        return text(s);
    }
}
