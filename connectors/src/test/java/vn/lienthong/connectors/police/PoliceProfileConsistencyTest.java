package vn.lienthong.connectors.police;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.police.Shape.Codes;
import vn.lienthong.connectors.police.Shape.Field;
import vn.lienthong.connectors.police.Shape.ListOf;
import vn.lienthong.connectors.police.Shape.Obj;
import vn.lienthong.connectors.police.Shape.Scalar;
import vn.lienthong.connectors.police.Shape.Variant;
import vn.lienthong.schemas.SchemaCatalog;

/**
 * Keeps the profile ({@link PoliceProfile}), the canonical v1 schemas, the profile's JSON Schema
 * and its README in step: every canonical member of the six types maps, every police member is
 * published with its canonical name, required members and code lists agree.
 */
class PoliceProfileConsistencyTest {

    private final List<String> problems = new ArrayList<>();
    private final JsonNode police = PoliceTestSupport.policeSchemaDocument();

    /** A canonical schema node and the file its local references resolve in. */
    private record Node(String file, JsonNode schema) {
    }

    @Test
    void everyCanonicalMemberMapsAndThePublishedSchemaAgrees() {
        JsonNode envelope = SchemaCatalog.get().document("envelope.schema.json");
        walkObject(PoliceProfile.HEADER, new Node("envelope.schema.json", envelope),
                def("thong_tin_chung"), Set.of("schemaVersion", "payload"), null, "(envelope)");
        for (Map.Entry<String, Obj> e : PoliceProfile.PAYLOADS.entrySet()) {
            String file = e.getKey() + ".schema.json";
            walkObject(e.getValue(), new Node(file, SchemaCatalog.get().document(file)), def(e.getValue().name()),
                    Set.of(), null, e.getKey());
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void thePublishedSchemaSelectsTheContentByMessageKind() {
        Map<String, String> selected = new TreeMap<>();
        for (JsonNode branch : police.path("allOf")) {
            selected.put(branch.at("/if/properties/thong_tin_chung/properties/loai_thong_diep/const").asText(),
                    branch.at("/then/properties/noi_dung/$ref").asText());
        }
        Map<String, String> expected = new TreeMap<>();
        PoliceProfile.PAYLOADS.forEach((type, obj) -> expected.put(
                PoliceProfile.MESSAGE_KIND.toPolice(type).orElseThrow(), "#/$defs/" + obj.name()));
        assertThat(selected).isEqualTo(expected);
        assertThat(police.at("/properties/phien_ban/const").asText()).isEqualTo(PoliceProfile.VERSION);
    }

    @Test
    void theReadmeNamesEveryMemberAndCode() {
        String readme = new String(PoliceTestSupport.bytes(PoliceTestSupport.FORMAT_DIR + "README.md"),
                StandardCharsets.UTF_8);
        Set<String> names = new LinkedHashSet<>(List.of(PoliceProfile.VERSION_MEMBER, PoliceProfile.HEADER_MEMBER,
                PoliceProfile.BODY_MEMBER));
        collect(PoliceProfile.HEADER, names);
        PoliceProfile.PAYLOADS.values().forEach(o -> collect(o, names));
        List<String> missing = names.stream().filter(n -> !readme.contains("`" + n + "`")).toList();
        assertThat(missing).as("police names and codes missing from the README").isEmpty();
    }

    // ---- walking the three descriptions together -------------------------------------------

    private void walkObject(Obj obj, Node canonical, JsonNode policeDef, Set<String> exclude, Variant tagOf,
            String path) {
        Node c = resolve(canonical);
        Set<String> canonicalMembers = new LinkedHashSet<>();
        c.schema().path("properties").fieldNames().forEachRemaining(canonicalMembers::add);
        canonicalMembers.removeAll(exclude);
        if (tagOf != null) {
            canonicalMembers.remove(tagOf.canonicalTag());
        }
        if (!canonicalMembers.equals(new LinkedHashSet<>(obj.canonicalNames()))) {
            problems.add(path + ": canonical members " + canonicalMembers + " but " + obj.name() + " maps "
                    + obj.canonicalNames());
        }
        // The published schema: the same members, under their police names, each naming its canonical one.
        List<String> expectedPolice = new ArrayList<>();
        if (tagOf != null) {
            expectedPolice.add(tagOf.policeTag());
        }
        expectedPolice.addAll(obj.policeNames());
        List<String> publishedPolice = names(policeDef.path("properties"));
        if (!publishedPolice.equals(expectedPolice)) {
            problems.add(path + ": published " + obj.name() + " has " + publishedPolice + ", profile " + expectedPolice);
        }
        // Required members agree, through the mapping.
        Set<String> canonicalRequired = new LinkedHashSet<>();
        c.schema().path("required").forEach(r -> canonicalRequired.add(r.asText()));
        canonicalRequired.removeAll(exclude);
        Set<String> publishedRequired = new LinkedHashSet<>();
        policeDef.path("required").forEach(r -> publishedRequired.add(obj.byPolice(r.asText())
                .map(Field::canonical).orElse(r.asText())));
        if (tagOf != null) {
            publishedRequired.remove(tagOf.policeTag());
            canonicalRequired.remove(tagOf.canonicalTag());
        }
        if (!canonicalRequired.equals(publishedRequired)) {
            problems.add(path + ": canonical requires " + canonicalRequired + ", published " + obj.name()
                    + " requires " + publishedRequired);
        }
        for (Field field : obj.fields()) {
            JsonNode member = c.schema().path("properties").get(field.canonical());
            JsonNode published = policeDef.path("properties").path(field.police());
            if (!published.path("x-canonical").asText().equals(field.canonical())) {
                problems.add(path + "/" + field.canonical() + ": published x-canonical of " + field.police() + " is '"
                        + published.path("x-canonical").asText() + "'");
            }
            if (member != null) {
                walk(field.shape(), new Node(c.file(), member), published, path + "/" + field.canonical());
            }
        }
    }

    private void walk(Shape shape, Node canonical, JsonNode published, String path) {
        Node c = resolve(canonical);
        String type = c.schema().path("type").asText("");
        if (shape instanceof Scalar scalar) {
            String expected = switch (scalar) {
                case TEXT -> "string";
                case WHOLE -> "integer";
                case NUMBER -> "number";
                case BOOLEAN -> "boolean";
            };
            if (!type.equals(expected)) {
                problems.add(path + ": canonical type '" + type + "', profile " + scalar);
            }
            if (!published.path("type").asText().equals(expected)) {
                problems.add(path + ": published type '" + published.path("type").asText() + "', profile " + scalar);
            }
        } else if (shape instanceof Codes codes) {
            checkCodes(codes, c, published, path);
        } else if (shape instanceof ListOf list) {
            if (!type.equals("array") || !published.path("type").asText().equals("array")) {
                problems.add(path + ": an array in the profile, canonical '" + type + "', published '"
                        + published.path("type").asText() + "'");
                return;
            }
            walk(list.item(), new Node(c.file(), c.schema().path("items")), published.path("items"), path + "/items");
        } else if (shape instanceof Obj obj) {
            if (!published.path("$ref").asText().equals("#/$defs/" + obj.name())) {
                problems.add(path + ": published as " + published.path("$ref").asText() + ", profile " + obj.name());
            }
            walkObject(obj, c, def(obj.name()), Set.of(), null, path);
        } else if (shape instanceof Variant variant) {
            walkVariant(variant, c, published, path);
        }
    }

    private void walkVariant(Variant variant, Node c, JsonNode published, String path) {
        if (!published.path("$ref").asText().equals("#/$defs/" + variant.name())) {
            problems.add(path + ": published as " + published.path("$ref").asText() + ", profile " + variant.name());
        }
        JsonNode variantDef = def(variant.name());
        checkCodes(variant.tags(), new Node(c.file(), c.schema().path("properties").path(variant.canonicalTag())),
                variantDef.path("properties").path(variant.policeTag()), path + "/" + variant.canonicalTag());
        for (Map.Entry<String, Obj> e : variant.objects().entrySet()) {
            String policeTag = variant.tags().toPolice(e.getKey()).orElseThrow();
            // The canonical object of this kind: the node itself (const kind) or the branch of its allOf.
            Node branch = null;
            if (e.getKey().equals(c.schema().at("/properties/" + variant.canonicalTag() + "/const").asText(null))) {
                branch = c;
            }
            for (JsonNode b : c.schema().path("allOf")) {
                if (e.getKey().equals(b.at("/if/properties/" + variant.canonicalTag() + "/const").asText(null))) {
                    branch = new Node(c.file(), b.path("then"));
                }
            }
            String publishedRef = null;
            for (JsonNode b : variantDef.path("allOf")) {
                if (policeTag.equals(b.at("/if/properties/" + variant.policeTag() + "/const").asText(null))) {
                    publishedRef = b.at("/then/$ref").asText();
                }
            }
            if (branch == null || !("#/$defs/" + e.getValue().name()).equals(publishedRef)) {
                problems.add(path + ": kind " + e.getKey() + " not found (canonical " + (branch != null)
                        + ", published " + publishedRef + ")");
                continue;
            }
            JsonNode objDef = def(e.getValue().name());
            if (!policeTag.equals(objDef.at("/properties/" + variant.policeTag() + "/const").asText())) {
                problems.add(path + ": " + e.getValue().name() + " does not fix " + variant.policeTag() + " to " + policeTag);
            }
            walkObject(e.getValue(), branch, objDef, Set.of(), variant, path + "(" + e.getKey() + ")");
        }
    }

    private void checkCodes(Codes codes, Node canonical, JsonNode published, String path) {
        Node c = resolve(canonical);
        Set<String> canonicalCodes = new LinkedHashSet<>();
        c.schema().path("enum").forEach(v -> canonicalCodes.add(v.asText()));
        if (c.schema().has("const")) {
            canonicalCodes.add(c.schema().path("const").asText());
        }
        Set<String> mapped = codes.canonicalToPolice().keySet();
        // The profile carries six of the ten types; every other code list maps all canonical codes.
        boolean ok = codes == PoliceProfile.MESSAGE_KIND ? canonicalCodes.containsAll(mapped) : canonicalCodes.equals(mapped);
        if (!ok) {
            problems.add(path + ": canonical codes " + canonicalCodes + ", " + codes.name() + " maps " + mapped);
        }
        JsonNode codesDef = def(published.path("$ref").asText().replace("#/$defs/", ""));
        List<String> enumerated = new ArrayList<>();
        codesDef.path("enum").forEach(v -> enumerated.add(v.asText()));
        if (!enumerated.equals(codes.allowedPolice())) {
            problems.add(path + ": published " + codes.name() + " " + enumerated + ", profile " + codes.allowedPolice());
        }
        Map<String, String> publishedMap = new TreeMap<>();
        codesDef.path("x-canonical").fields().forEachRemaining(f -> publishedMap.put(f.getKey(), f.getValue().asText()));
        Map<String, String> profileMap = new TreeMap<>();
        codes.allowedPolice().forEach(p -> profileMap.put(p, codes.toCanonical(p).orElseThrow()));
        if (!publishedMap.equals(profileMap)) {
            problems.add(path + ": published x-canonical of " + codes.name() + " " + publishedMap + ", profile " + profileMap);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private JsonNode def(String name) {
        JsonNode d = police.path("$defs").path(name);
        if (d.isMissingNode()) {
            problems.add("the published schema has no $defs/" + name);
        }
        return d;
    }

    /** Follows $ref in the canonical documents; keywords beside a $ref are kept. */
    private static Node resolve(Node node) {
        Node current = node;
        for (int hops = 0; current.schema().has("$ref") && hops < 20; hops++) {
            String ref = current.schema().path("$ref").asText();
            int hash = ref.indexOf('#');
            String file = hash == 0 ? current.file() : hash < 0 ? ref : ref.substring(0, hash);
            String fragment = hash < 0 ? "" : ref.substring(hash + 1);
            JsonNode target = SchemaCatalog.get().document(file).at(fragment);
            ObjectNode merged = target.deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = current.schema().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("$ref")) {
                    merged.set(e.getKey(), e.getValue());
                }
            }
            current = new Node(file, merged);
        }
        return current;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void collect(Shape shape, Set<String> names) {
        if (shape instanceof Obj obj) {
            for (Field f : obj.fields()) {
                names.add(f.police());
                collect(f.shape(), names);
            }
        } else if (shape instanceof ListOf list) {
            collect(list.item(), names);
        } else if (shape instanceof Codes codes) {
            names.addAll(codes.allowedPolice());
            names.addAll(codes.passThrough().keySet());
        } else if (shape instanceof Variant variant) {
            names.add(variant.policeTag());
            names.addAll(variant.tags().allowedPolice());
            variant.objects().values().forEach(o -> collect(o, names));
        }
    }
}
