package vn.lienthong.connectors.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A code list: each canonical value paired with its XML code (ASCII PascalCase Vietnamese) and a
 * short explanation. The mapping is one to one, so it reads both ways.
 */
public final class CodeList {

    /** One code. */
    public record Code(String canonical, String xml, String doc) {
    }

    private final List<Code> codes;
    private final Map<String, String> toXml = new LinkedHashMap<>();
    private final Map<String, String> toCanonical = new LinkedHashMap<>();

    private CodeList(List<Code> codes) {
        this.codes = Collections.unmodifiableList(codes);
        for (Code c : codes) {
            if (toXml.put(c.canonical(), c.xml()) != null || toCanonical.put(c.xml(), c.canonical()) != null) {
                throw new IllegalArgumentException("code listed twice: " + c);
            }
        }
    }

    /** Starts a list. */
    public static Builder builder() {
        return new Builder();
    }

    /** The codes in order. */
    public List<Code> codes() {
        return codes;
    }

    /** The XML code of a canonical value. */
    public Optional<String> xml(String canonical) {
        return Optional.ofNullable(toXml.get(canonical));
    }

    /** The canonical value of an XML code. */
    public Optional<String> canonical(String xml) {
        return Optional.ofNullable(toCanonical.get(xml));
    }

    /** Collects codes in order. */
    public static final class Builder {
        private final List<Code> codes = new ArrayList<>();

        /** Adds a code: canonical value, XML code, explanation. */
        public Builder code(String canonical, String xml, String doc) {
            codes.add(new Code(canonical, xml, doc));
            return this;
        }

        /** The list. */
        public CodeList build() {
            return new CodeList(new ArrayList<>(codes));
        }
    }
}
