package vn.lienthong.connectors.xml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.ValidatorSettings;

/** Helpers for the XML connector tests: resources, the fixed-clock validator, DOM comparison. */
public final class XmlTestSupport {

    /** The instant the bundled examples were written for (12:00 in Việt Nam, 20 November 2026). */
    public static final Instant NOW = Instant.parse("2026-11-20T05:00:00Z");

    private XmlTestSupport() {
    }

    /** The validator the gateway runs, with the examples' clock. */
    public static MessageValidator validator() {
        return new MessageValidator(ValidatorSettings.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    /** The files of a classpath folder (in a directory or a jar), sorted by name. */
    public static List<Path> classpathFiles(String folder, String suffix) {
        URL url = XmlTestSupport.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("not on the classpath: " + folder);
        }
        try {
            URI uri = url.toURI();
            Path dir;
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                dir = fs.provider().getPath(uri);
            } else {
                dir = Path.of(uri);
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                        .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                        .toList();
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a classpath resource. */
    public static byte[] resource(String name) {
        try (var in = XmlTestSupport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("not on the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes one input that must yield exactly one canonical document. */
    public static byte[] decodeOne(Connector connector, byte[] input) throws DecodeException {
        List<Decoded> items = new ArrayList<>();
        try {
            connector.decode(new ByteArrayInputStream(input), "test", items::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (items.size() != 1 || !(items.get(0) instanceof Decoded.Canonical canonical)) {
            throw new AssertionError("expected one canonical document, got " + items);
        }
        return canonical.json();
    }

    /**
     * Parses XML (securely) into a DOM without comments and without whitespace-only text nodes, so
     * that two documents differing only in indentation compare equal with {@link Node#isEqualNode}.
     */
    public static Document comparableDom(byte[] xml) {
        try {
            var factory = HardenedXml.documentBuilderFactory();
            factory.setIgnoringComments(true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            strip(doc.getDocumentElement());
            doc.normalizeDocument();
            return doc;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("not comparable XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strip(Node node) {
        boolean elementContent = false;
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            elementContent |= c.getNodeType() == Node.ELEMENT_NODE;
        }
        Node child = node.getFirstChild();
        while (child != null) {
            Node next = child.getNextSibling();
            // White space between elements is indentation; inside a leaf it is data and stays.
            boolean blank = elementContent && child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank();
            if (blank || child.getNodeType() == Node.COMMENT_NODE
                    || child.getNodeType() == Node.PROCESSING_INSTRUCTION_NODE) {
                node.removeChild(child);
            } else if (child.getNodeType() == Node.ELEMENT_NODE) {
                strip(child);
            }
            child = next;
        }
    }
}
