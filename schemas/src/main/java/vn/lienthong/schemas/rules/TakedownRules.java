package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import vn.lienthong.schemas.errors.ErrorCode;

/** Listing URLs of takedowns must be absolute http(s) URLs with a host: a platform can act on nothing else. */
final class TakedownRules {

    private TakedownRules() {
    }

    static void check(JsonNode payload, String arrayField, RuleContext ctx) {
        JsonNode items = payload.get(arrayField);
        if (items == null || !items.isArray()) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            JsonNode url = items.get(i).get("url");
            if (url != null && url.isTextual()) {
                String problem = HttpUrls.problem(url.asText());
                if (problem != null) {
                    ctx.error(ErrorCode.TAKEDOWN_URL_INVALID, "/payload/" + arrayField + "/" + i + "/url", problem);
                }
            }
        }
    }

}
