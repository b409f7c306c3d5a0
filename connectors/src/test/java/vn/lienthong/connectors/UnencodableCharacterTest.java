package vn.lienthong.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.customs.CustomsXmlConnector;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.police.PoliceCaseJsonConnector;
import vn.lienthong.connectors.tax.TaxCsvConnector;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.validation.ValidationResult;
import vn.lienthong.connectors.spi.UnencodableCharacterException;

/**
 * A character a recipient's format cannot carry makes its encoding fail with
 * {@link UnencodableCharacterException} (code point and, where the writer knows it, the pointer),
 * never a document with the character replaced; JSON formats carry every character.
 */
class UnencodableCharacterTest {

    private static final MessageValidator VALIDATOR = new MessageValidator();

    private static ValidationResult.Valid example(String path, String pointer, String text) throws Exception {
        try (InputStream in = UnencodableCharacterTest.class.getClassLoader()
                .getResourceAsStream("lienthong/examples/v1/" + path)) {
            ObjectNode message = (ObjectNode) CanonicalJson.mapper().readTree(in);
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) message.at(pointer.substring(0, slash))).put(pointer.substring(slash + 1), text);
            ValidationResult result = VALIDATOR.validate(CanonicalJson.mapper().writeValueAsBytes(message));
            assertThat(result.errors()).isEmpty();
            return (ValidationResult.Valid) result;
        }
    }

    private static byte[] encode(Connector connector, ValidationResult.Valid v) throws Exception {
        return connector.encode(v.message(), CanonicalJson.mapper().writeValueAsBytes(v.normalized()));
    }

    @Test
    void customsXmlRefusesXmlForbiddenCharactersNamingTheMember() throws Exception {
        for (String c : new String[] {"\u0001", "\uD800", "\uFFFE", "\uFFFF", "\u001B"}) {
            ValidationResult.Valid v = example("violation.notice/valid-counterfeit-cosmetics-shopee.json",
                    "/payload/description", "Biên bản " + c + " kiểm tra");
            assertThatThrownBy(() -> encode(new CustomsXmlConnector(), v))
                    .isInstanceOfSatisfying(UnencodableCharacterException.class, e -> {
                        assertThat(e.codePoint()).isEqualTo(c.charAt(0));
                        assertThat(e.pointer()).isEqualTo("/payload/description");
                        assertThat(e.getMessage()).contains(String.format("U+%04X", (int) c.charAt(0)))
                                .doesNotContain("Biên bản");
                    });
            // JSON carries it, as an escape where it must.
            assertThat(encode(new PoliceCaseJsonConnector(), v)).isNotEmpty();
        }
    }

    @Test
    void aTaxRequestFileRefusesALoneSurrogateRatherThanWriteAQuestionMark() throws Exception {
        ValidationResult.Valid v = example("info.request/valid-tax-data-for-counterfeit-case.json", "/payload/purpose",
                "Xác minh \uD800 người bán");
        assertThatThrownBy(() -> encode(new TaxCsvConnector(), v))
                .isInstanceOfSatisfying(UnencodableCharacterException.class,
                        e -> assertThat(e.codePoint()).isEqualTo(0xD800));
        ValidationResult.Valid fine = example("info.request/valid-tax-data-for-counterfeit-case.json", "/payload/purpose",
                "Xác minh \uD83D\uDE00 người bán");
        assertThat(new String(encode(new TaxCsvConnector(), fine), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Xác minh \uD83D\uDE00 người bán");
    }
}
