package vn.lienthong.schemas.ids;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The 34 current provinces (since 1 July 2025) and the 63 former ones with their successors, from
 * the bundled {@code provinces.json}; a bare code always means the current list, because several
 * codes meant another province before (44 was Quảng Bình, now Quảng Trị).
 */
public final class Provinces {

    /** A province: two-digit code and Vietnamese name (NFC). */
    public record Province(String code, String name) {
    }

    /**
     * A province reference normalized to the present-day province, with the code and name as
     * originally meant (a former province, or the current one itself) kept beside it.
     */
    public record ProvinceResolution(Province current, String originalCode, String originalName, boolean former) {
    }

    private static final Pattern TWO_DIGITS = Pattern.compile("[0-9]{2}");
    // Administrative prefixes that senders add or omit freely; checked on the name key (lower case).
    private static final List<String> PREFIXES = List.of("thành phố ", "tỉnh ", "tp. ", "tp.", "tp ");

    private static final Data DATA = load();

    private Provinces() {
    }

    /** The 34 current provinces, in code order. */
    public static List<Province> current() {
        return DATA.currentList;
    }

    /** The 63 provinces before 1 July 2025, in code order. */
    public static List<Province> former() {
        return DATA.formerList;
    }

    /** Whether {@code code} is a current province code. */
    public static boolean isCurrent(String code) {
        return code != null && DATA.current.containsKey(code.strip());
    }

    /** Whether {@code code} was a province code before 1 July 2025. */
    public static boolean isFormerCode(String code) {
        return code != null && DATA.former.containsKey(code.strip());
    }

    /**
     * Resolves a two-digit code: a bare code ({@code former = false}) in the current list only; a
     * code the sender marked as former in the former list, normalized to its successor.
     */
    public static Optional<ProvinceResolution> resolveCode(String code, boolean former) {
        if (code == null || !TWO_DIGITS.matcher(code.strip()).matches()) {
            return Optional.empty();
        }
        String c = code.strip();
        if (!former) {
            return Optional.ofNullable(DATA.current.get(c)).map(Provinces::asCurrent);
        }
        return Optional.ofNullable(DATA.former.get(c)).map(Provinces::asFormer);
    }

    /**
     * Resolves a province name (compared with {@link VietnameseText#sameName}, aliases from the data
     * file, administrative prefixes ignored). A current name wins over a former one; a former-only
     * name resolves with {@code former = true} to its successor.
     */
    public static Optional<ProvinceResolution> resolveName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String key = VietnameseText.nameKey(name);
        String bare = withoutPrefix(key);
        for (String k : bare.equals(key) ? List.of(key) : List.of(key, bare)) {
            Province p = DATA.currentByName.get(k);
            if (p != null) {
                return Optional.of(asCurrent(p));
            }
        }
        for (String k : bare.equals(key) ? List.of(key) : List.of(key, bare)) {
            FormerProvince f = DATA.formerByName.get(k);
            if (f != null) {
                return Optional.of(asFormer(f));
            }
        }
        return Optional.empty();
    }

    /**
     * A hint for an error message when a bare code is not current but was a former code, e.g.
     * "35 is not a current province code; 35 was Hà Nam (now 37 Ninh Bình): mark it as a former
     * code"; empty otherwise.
     */
    public static Optional<String> hint(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.strip();
        FormerProvince f = DATA.former.get(c);
        if (f == null || DATA.current.containsKey(c)) {
            return Optional.empty();
        }
        Province now = DATA.current.get(f.successor);
        return Optional.of(c + " is not a current province code; " + c + " was " + f.name
                + " (now " + now.code() + " " + now.name() + "): mark it as a former code");
    }

    private static ProvinceResolution asCurrent(Province p) {
        return new ProvinceResolution(p, p.code(), p.name(), false);
    }

    private static ProvinceResolution asFormer(FormerProvince f) {
        return new ProvinceResolution(DATA.current.get(f.successor), f.code, f.name, true);
    }

    private static String withoutPrefix(String key) {
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return key.substring(prefix.length()).trim();
            }
        }
        return key;
    }

    private record FormerProvince(String code, String name, String successor) {
    }

    private static final class Data {
        final Map<String, Province> current = new LinkedHashMap<>();
        final Map<String, FormerProvince> former = new LinkedHashMap<>();
        final Map<String, Province> currentByName = new LinkedHashMap<>();
        final Map<String, FormerProvince> formerByName = new LinkedHashMap<>();
        List<Province> currentList;
        List<Province> formerList;
    }

    // Fails class initialization on a broken data file: wrong province data must not go unnoticed.
    private static Data load() {
        JsonNode root = BundledJson.resource("provinces.json");
        Data d = new Data();
        for (JsonNode n : BundledJson.array(section(root, "current"), "provinces")) {
            Province p = new Province(code(n), VietnameseText.nfc(BundledJson.text(n, "name")));
            if (d.current.put(p.code(), p) != null) {
                throw new IllegalStateException("duplicate current province code " + p.code());
            }
            for (String name : names(n)) {
                Province clash = d.currentByName.putIfAbsent(VietnameseText.nameKey(name), p);
                if (clash != null && clash != p) {
                    throw new IllegalStateException("current name '" + name + "' used twice");
                }
            }
        }
        for (JsonNode n : BundledJson.array(section(root, "former"), "provinces")) {
            FormerProvince f = new FormerProvince(code(n), VietnameseText.nfc(BundledJson.text(n, "name")),
                    BundledJson.text(n, "successor"));
            if (!d.current.containsKey(f.successor)) {
                throw new IllegalStateException("former province " + f.code + " has no current successor");
            }
            if (d.former.put(f.code, f) != null) {
                throw new IllegalStateException("duplicate former province code " + f.code);
            }
            for (String name : names(n)) {
                FormerProvince clash = d.formerByName.putIfAbsent(VietnameseText.nameKey(name), f);
                if (clash != null && clash != f) {
                    throw new IllegalStateException("former name '" + name + "' used twice");
                }
            }
        }
        d.currentList = List.copyOf(d.current.values());
        List<Province> formers = new ArrayList<>();
        d.former.values().forEach(f -> formers.add(new Province(f.code, f.name)));
        d.formerList = List.copyOf(formers);
        return d;
    }

    private static JsonNode section(JsonNode root, String field) {
        JsonNode s = root.get(field);
        if (s == null || !s.isObject()) {
            throw new IllegalStateException("provinces.json lacks '" + field + "'");
        }
        BundledJson.text(s, "source");
        return s;
    }

    private static String code(JsonNode n) {
        String c = BundledJson.text(n, "code");
        if (!TWO_DIGITS.matcher(c).matches()) {
            throw new IllegalStateException("province code must be two digits: " + c);
        }
        return c;
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        names.add(BundledJson.text(n, "name"));
        JsonNode aliases = n.get("aliases");
        if (aliases != null) {
            aliases.forEach(a -> names.add(Objects.requireNonNull(a.textValue(), "alias must be text")));
        }
        return names;
    }
}
