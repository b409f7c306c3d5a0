package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.ValidatorSettings;

/**
 * Applies every business rule to an envelope tree. Rules read the tree defensively, so they run
 * even where the schema found errors and every problem is reported at once; identifier and
 * province rules also normalize the tree in place.
 */
public final class BusinessRules {

    private final ValidatorSettings settings;

    /** Rules under the given settings. */
    public BusinessRules(ValidatorSettings settings) {
        this.settings = settings;
    }

    /** The errors found; the tree is normalized in place. */
    public List<ValidationError> apply(ObjectNode envelope) {
        RuleContext ctx = new RuleContext(settings);
        JsonNode classification = envelope.get("classification");
        if (classification != null && classification.isTextual() && ClassificationRule.isStateSecret(classification.asText())) {
            ctx.error(ErrorCode.STATE_SECRET_NOT_ALLOWED, "/classification", "state-secret documents (Mật, Tối mật, "
                    + "Tuyệt mật) must not cross this gateway (Law 29/2018): send them through the state-secret system");
        }
        IdentifierRules.check(envelope, ctx);
        ProvinceRules.check(envelope, ctx);
        TimeRules.check(envelope, ctx);
        HttpUrls.check(envelope, ctx);
        ReferenceRules.check(envelope, ctx);
        JsonNode payload = envelope.path("payload");
        if (payload.isObject()) {
            switch (envelope.path("type").asText("")) {
                case "freeze.request" -> FreezeRules.check(payload, ctx);
                case "takedown.request" -> TakedownRules.check(payload, "listings", ctx);
                case "takedown.report" -> TakedownRules.check(payload, "results", ctx);
                case "report.periodic" -> PeriodicReportRules.check(payload, ctx);
                default -> { }
            }
        }
        return ctx.errors();
    }
}
