package vn.lienthong.connectors.police;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a value in the police profile, read in both directions: one declaration per member
 * gives the canonical name, the police name and the value's shape, so that decoding and encoding
 * cannot drift apart.
 */
sealed interface Shape permits Shape.Scalar, Shape.Codes, Shape.Obj, Shape.ListOf, Shape.Variant {

    /** A JSON scalar copied as is in both directions (the validator checks its form). */
    enum Scalar implements Shape {
        /** A JSON string. */
        TEXT("a string"),
        /** A whole JSON number (5.0 counts as 5, as in JSON Schema 2020-12). */
        WHOLE("a whole number"),
        /** Any JSON number. */
        NUMBER("a number"),
        /** true or false. */
        BOOLEAN("true or false");

        private final String expected;

        Scalar(String expected) {
            this.expected = expected;
        }

        /** What the shape expects, for error messages. */
        String expected() {
            return expected;
        }
    }

    /**
     * A code list: each canonical code has one police code; {@code aliases} are further police
     * codes read as a canonical code (listed in errors), {@code passThrough} police codes read as a
     * canonical value the validator refuses with its own, more specific error code (not listed).
     */
    record Codes(String name, Map<String, String> canonicalToPolice, Map<String, String> aliases,
            Map<String, String> passThrough) implements Shape {

        public Codes {
            canonicalToPolice = Collections.unmodifiableMap(new LinkedHashMap<>(canonicalToPolice));
            aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
            passThrough = Collections.unmodifiableMap(new LinkedHashMap<>(passThrough));
        }

        /** A code list from pairs: canonical, police, canonical, police, ... */
        static Codes of(String name, String... pairs) {
            if (pairs.length % 2 != 0) {
                throw new IllegalArgumentException("pairs expected");
            }
            Map<String, String> map = new LinkedHashMap<>();
            Set<String> police = new HashSet<>();
            for (int i = 0; i < pairs.length; i += 2) {
                if (map.put(pairs[i], pairs[i + 1]) != null || !police.add(pairs[i + 1])) {
                    throw new IllegalArgumentException("code list " + name + " repeats " + pairs[i]);
                }
            }
            return new Codes(name, map, Map.of(), Map.of());
        }

        /** This list with police aliases (police code to canonical code). */
        Codes withAliases(Map<String, String> more) {
            return new Codes(name, canonicalToPolice, more, passThrough);
        }

        /** This list with police codes read as canonical values the validator refuses. */
        Codes withPassThrough(Map<String, String> more) {
            return new Codes(name, canonicalToPolice, aliases, more);
        }

        /** The canonical code of a police code, if any. */
        Optional<String> toCanonical(String police) {
            for (Map.Entry<String, String> e : canonicalToPolice.entrySet()) {
                if (e.getValue().equals(police)) {
                    return Optional.of(e.getKey());
                }
            }
            return Optional.ofNullable(aliases.getOrDefault(police, passThrough.get(police)));
        }

        /** The police code of a canonical code, if any. */
        Optional<String> toPolice(String canonical) {
            return Optional.ofNullable(canonicalToPolice.get(canonical));
        }

        /** The police codes a sender may use, for error messages. */
        List<String> allowedPolice() {
            List<String> allowed = new ArrayList<>(canonicalToPolice.values());
            allowed.addAll(aliases.keySet());
            return allowed;
        }
    }

    /** One member of an object: its canonical name, its police name and its shape. */
    record Field(String canonical, String police, Shape shape) {
        public Field {
            Objects.requireNonNull(canonical, "canonical");
            Objects.requireNonNull(police, "police");
            Objects.requireNonNull(shape, "shape");
        }
    }

    /** An object with a fixed set of members; {@code name} names it in errors and in the JSON Schema. */
    record Obj(String name, List<Field> fields) implements Shape {

        public Obj {
            fields = List.copyOf(fields);
            for (int i = 0; i < fields.size(); i++) {
                for (int j = i + 1; j < fields.size(); j++) {
                    if (fields.get(i).canonical().equals(fields.get(j).canonical())
                            || fields.get(i).police().equals(fields.get(j).police())) {
                        throw new IllegalArgumentException(name + " declares a member twice: " + fields.get(j));
                    }
                }
            }
        }

        /** The member of a police name. */
        Optional<Field> byPolice(String police) {
            return fields.stream().filter(f -> f.police().equals(police)).findFirst();
        }

        /** The member of a canonical name. */
        Optional<Field> byCanonical(String canonical) {
            return fields.stream().filter(f -> f.canonical().equals(canonical)).findFirst();
        }

        /** The police names, in order, for error messages. */
        List<String> policeNames() {
            return fields.stream().map(Field::police).toList();
        }

        /** The canonical names, in order. */
        List<String> canonicalNames() {
            return fields.stream().map(Field::canonical).toList();
        }
    }

    /** A JSON array whose items all have one shape. */
    record ListOf(Shape item) implements Shape {
        public ListOf {
            Objects.requireNonNull(item, "item");
        }
    }

    /**
     * An object whose members depend on a tag member (a subject: person or organization): the tag
     * is a code list, and each canonical tag value has its own object shape (without the tag).
     */
    record Variant(String name, String canonicalTag, String policeTag, Codes tags, Map<String, Obj> objects)
            implements Shape {

        public Variant {
            objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
            if (!objects.keySet().equals(tags.canonicalToPolice().keySet())) {
                throw new IllegalArgumentException(name + ": one object per tag value expected");
            }
        }
    }
}
