package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import vn.lienthong.schemas.ids.Provinces;
import vn.lienthong.schemas.ids.VietnameseText;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * Resolves every {@code province} to one of the 34 provinces since 1 July 2025. A bare code is read
 * in the current list; a former code only when marked {@code former}; a former name is recognized
 * as such. The province is rewritten to the current code and name; what the sender wrote is kept
 * in {@code original} whenever it differs, with {@code former: true} when it named a former province.
 */
final class ProvinceRules {

    private ProvinceRules() {
    }

    static void check(JsonNode envelope, RuleContext ctx) {
        Json.forEachObject(envelope, "", (pointer, object) -> {
            if (object.get("province") instanceof ObjectNode province) {
                resolve(province, pointer + "/province", ctx);
            }
        });
    }

    private static void resolve(ObjectNode province, String pointer, RuleContext ctx) {
        Optional<String> code = Json.text(province, "code");
        Optional<String> name = Json.text(province, "name");
        boolean former = province.path("former").asBoolean(false);
        if (code.isEmpty() && name.isEmpty()) {
            return; // the schema reports it
        }
        Optional<Provinces.ProvinceResolution> resolved = code.isPresent()
                ? Provinces.resolveCode(code.get(), former)
                : Provinces.resolveName(name.get());
        if (resolved.isEmpty()) {
            String hint = code.flatMap(c -> former ? Optional.empty() : Provinces.hint(c)).orElse(null);
            ctx.error(ErrorCode.UNKNOWN_PROVINCE, pointer + (code.isPresent() ? "/code" : "/name"),
                    hint != null ? hint
                            : code.isPresent()
                                    ? "'" + code.get() + "' is not a " + (former ? "former" : "current") + " province code"
                                    : "'" + name.get() + "' is not the name of a current or former province");
            return;
        }
        Provinces.ProvinceResolution r = resolved.get();
        if (code.isPresent() && name.isPresent() && !nameFits(name.get(), r)) {
            ctx.error(ErrorCode.UNKNOWN_PROVINCE, pointer + "/name", "the name '" + name.get()
                    + "' does not match province code " + code.get() + (former ? " (former)" : "")
                    + ", which is " + r.originalName());
            return;
        }
        boolean changed = r.former()
                || !r.current().code().equals(code.orElse(null))
                || name.isPresent() && !name.get().equals(r.current().name());
        JsonNode earlier = province.get("original");
        province.removeAll();
        province.put("code", r.current().code());
        province.put("name", r.current().name());
        if (changed) {
            ObjectNode original = province.putObject("original");
            code.ifPresent(c -> original.put("code", c));
            name.ifPresent(n -> original.put("name", n));
            // A former province named by its code, or by its name beside its successor's code.
            boolean namedFormer = name.flatMap(Provinces::resolveName).map(Provinces.ProvinceResolution::former).orElse(false)
                    && code.isPresent() && !name.get().equals(r.current().name());
            if (r.former() || namedFormer) {
                original.put("former", true);
            }
        } else if (earlier != null) {
            // Already normalized once (e.g. read back from the journal): keep what was first sent.
            province.set("original", earlier);
        }
    }

    /** A name fits when it names the province the code resolved to, in its current or former form. */
    private static boolean nameFits(String name, Provinces.ProvinceResolution r) {
        if (VietnameseText.sameName(name, r.originalName()) || VietnameseText.sameName(name, r.current().name())) {
            return true;
        }
        return Provinces.resolveName(name)
                .map(byName -> byName.current().code().equals(r.current().code()))
                .orElse(false);
    }
}
