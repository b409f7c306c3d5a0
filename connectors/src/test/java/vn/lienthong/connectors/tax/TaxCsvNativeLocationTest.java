package vn.lienthong.connectors.tax;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.ValidatorSettings;

/** Validation errors of a tax row name its line and column: Connector.nativeLocation over the column spec. */
class TaxCsvNativeLocationTest {

    static final MessageValidator VALIDATOR = new MessageValidator(ValidatorSettings.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-11-20T05:00:00Z"), ZoneOffset.UTC)));

    @Test
    void aWrongTaxCodeIsNamedByLineAndColumn() throws Exception {
        byte[] file = TaxFiles.file(List.of(TaxFiles.registration(), TaxFiles.registration("subject_tax_code", "0100233480")),
                "\r\n");
        List<Decoded> items = new ArrayList<>();
        TaxCsvConnector connector = new TaxCsvConnector();
        connector.decode(new ByteArrayInputStream(file), "t.csv", items::add);
        Decoded.Canonical second = (Decoded.Canonical) items.get(1);
        assertThat(second.location()).isEqualTo("line 3");
        List<ValidationError> errors = VALIDATOR.validate(second.json()).errors();
        ValidationError wrong = errors.stream().filter(e -> e.code() == ErrorCode.INVALID_TAX_CODE).findFirst()
                .orElseThrow(() -> new AssertionError(errors.toString()));
        assertThat(connector.nativeLocation(second, wrong.pointer())).isEqualTo("line 3, column 11 (subject_tax_code)");

        assertThat(connector.nativeLocation(second, "/payload/results/0/taxRegistration/address/province/code"))
                .isEqualTo("line 3, column 21 (address_province)");
        assertThat(connector.nativeLocation(second, "/payload/results/0/eInvoices/0/totalVnd"))
                .isEqualTo("line 3, column 28 (invoice_total_vnd)");
        assertThat(connector.nativeLocation(second, "/inReplyTo")).isEqualTo("line 3, column 2 (request_message_id)");
        // The sender is the channel's agency: no column, the line.
        assertThat(connector.nativeLocation(second, "/sender")).isEqualTo("line 3");
        // A canonical JSON file keeps the pointer.
        assertThat(connector.nativeLocation(new Decoded.Canonical(new byte[0], ""), "/sender")).isEqualTo("/sender");
    }
}
