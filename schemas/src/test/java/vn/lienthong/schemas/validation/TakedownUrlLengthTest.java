package vn.lienthong.schemas.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * The schemas README's promise for a takedown listing URL that is empty or too long: its one code,
 * TAKEDOWN_URL_INVALID, at the URL (the schema's length limits carry that code there), while other
 * URL members get SCHEMA_MIN_LENGTH / SCHEMA_MAX_LENGTH.
 */
class TakedownUrlLengthTest {

    private static final MessageValidator VALIDATOR = Examples.validator();

    private static ObjectNode example() throws IOException {
        return (ObjectNode) CanonicalJson.mapper().readTree(Examples.bytes(
                Examples.ROOT.resolve("takedown.request/valid-cigarettes-tiktok.json")));
    }

    private static ValidationResult validate(ObjectNode message) throws IOException {
        return VALIDATOR.validate(CanonicalJson.mapper().writeValueAsBytes(message));
    }

    @Test
    void anEmptyOrOverlongListingUrlIsTakedownUrlInvalidAtTheUrl() throws IOException {
        for (String url : new String[] {"", "https://tiktok.com/" + "a".repeat(2048)}) {
            ObjectNode message = example();
            ((ObjectNode) message.at("/payload/listings/0")).put("url", url);
            ValidationResult result = validate(message);
            assertThat(result.errors()).as(url.isEmpty() ? "empty" : "over-long").extracting(ValidationError::code)
                    .containsExactly(ErrorCode.TAKEDOWN_URL_INVALID);
            assertThat(result.errors().get(0).pointer()).isEqualTo("/payload/listings/0/url");
        }
    }
}
