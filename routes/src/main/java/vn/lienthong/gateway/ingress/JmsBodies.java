package vn.lienthong.gateway.ingress;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The bytes of a JMS input exactly as sent, read from the JMS message itself (never through a
 * converter that decodes with a default charset or deserializes objects): a BytesMessage's bytes;
 * a TextMessage's text in UTF-8, where a lone surrogate (text no UTF-8 can carry) is written in
 * its generalized three-byte form, so that the UTF-8 check refuses it at its offset rather than a
 * converter turning it into '?'. Other message types carry no bytes to read.
 */
public final class JmsBodies {

    private JmsBodies() {
    }

    /** The input's bytes, or empty for a message type other than text and bytes. */
    public static Optional<byte[]> bytes(Message message) throws JMSException {
        if (message instanceof BytesMessage b) {
            // From the start: Camel may have read the body already (stream caching looks at it).
            b.reset();
            byte[] body = new byte[Math.toIntExact(b.getBodyLength())];
            b.readBytes(body);
            return Optional.of(body);
        }
        if (message instanceof TextMessage t) {
            String text = t.getText();
            return Optional.of(text == null ? new byte[0] : utf8(text));
        }
        return Optional.empty();
    }

    /** The JMS type of a message, for a refusal: "ObjectMessage", "MapMessage", ... */
    public static String typeOf(Message message) {
        return message instanceof ObjectMessage ? "ObjectMessage"
                : message instanceof MapMessage ? "MapMessage"
                : message instanceof StreamMessage ? "StreamMessage" : "Message without a body";
    }

    /** UTF-8, lone surrogates in their generalized form (which no strict reader accepts). */
    public static byte[] utf8(String text) {
        ByteArrayOutputStream out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (Character.isSurrogate(c) && !pair) {
                if (out == null) {
                    out = new ByteArrayOutputStream(text.length() + 16);
                    out.writeBytes(text.substring(0, i).getBytes(StandardCharsets.UTF_8));
                }
                out.write(0xE0 | c >> 12);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
                continue;
            }
            if (out != null) {
                out.writeBytes(text.substring(i, pair ? i + 2 : i + 1).getBytes(StandardCharsets.UTF_8));
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text.getBytes(StandardCharsets.UTF_8) : out.toByteArray();
    }
}
