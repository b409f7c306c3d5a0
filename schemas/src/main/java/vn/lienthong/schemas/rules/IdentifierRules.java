package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import vn.lienthong.schemas.ids.Banks;
import vn.lienthong.schemas.ids.Cccds;
import vn.lienthong.schemas.ids.IdCheck;
import vn.lienthong.schemas.ids.TaxCodes;

/**
 * Checks identifiers wherever the schemas put them, by member name: tax codes (check digit,
 * branch), CCCD (province, century against a sibling birth year) and bank BINs. Valid tax codes
 * are rewritten in their normal form (branch with a hyphen).
 */
final class IdentifierRules {

    private static final Set<String> TAX_CODE_FIELDS = Set.of("taxCode", "sellerTaxCode", "buyerTaxCode");
    private static final Set<String> BIN_FIELDS = Set.of("bin", "bankBin");

    private IdentifierRules() {
    }

    static void check(JsonNode envelope, RuleContext ctx) {
        Json.forEachObject(envelope, "", (pointer, object) -> {
            for (String field : TAX_CODE_FIELDS) {
                Json.text(object, field).ifPresent(value -> {
                    IdCheck c = TaxCodes.check(value);
                    report(ctx, pointer + "/" + field, c);
                    if (c.valid() && !c.normalized().equals(value)) {
                        object.put(field, c.normalized());
                    }
                });
            }
            Json.text(object, "cccd").ifPresent(value -> {
                JsonNode birthYear = object.get("birthYear");
                Integer year = birthYear != null && birthYear.canConvertToInt() && birthYear.isIntegralNumber()
                        ? birthYear.intValue() : null;
                IdCheck c = Cccds.check(value, year);
                report(ctx, pointer + "/cccd", c);
            });
            for (String field : BIN_FIELDS) {
                Json.text(object, field).ifPresent(value -> report(ctx, pointer + "/" + field, Banks.checkBin(value)));
            }
        });
    }

    private static void report(RuleContext ctx, String pointer, IdCheck check) {
        if (!check.valid()) {
            ctx.error(check.error(), pointer, check.problem());
        }
    }

}
