package vn.lienthong.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.gateway.message.PlannedDelivery;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.ValidationResult;

/** Each recipient's connector and channel limit decide, before acceptance, whether a message can be carried. */
class DeliverabilityTest {

    private static final MessageValidator VALIDATOR = new MessageValidator();
    private static final Map<ChannelKind, Integer> LIMITS = Map.of(ChannelKind.REST, 100_000, ChannelKind.JMS, 100_000,
            ChannelKind.KAFKA, 100_000, ChannelKind.SFTP, 100_000);

    private static ValidationResult.Valid notice(String description) throws Exception {
        try (InputStream in = DeliverabilityTest.class.getClassLoader()
                .getResourceAsStream("lienthong/examples/v1/violation.notice/valid-counterfeit-cosmetics-shopee.json")) {
            ObjectNode notice = (ObjectNode) CanonicalJson.mapper().readTree(in);
            notice.with("payload").put("description", description);
            ValidationResult result = VALIDATOR.validate(CanonicalJson.mapper().writeValueAsBytes(notice));
            assertThat(result.errors()).isEmpty();
            return (ValidationResult.Valid) result;
        }
    }

    private static List<ValidationError> check(Deliverability d, ValidationResult.Valid v, PlannedDelivery... to)
            throws Exception {
        return d.check(v.message(), CanonicalJson.mapper().writeValueAsBytes(v.normalized()), v.normalized(), List.of(to));
    }

    private static PlannedDelivery to(String recipient, ChannelKind kind, String format) {
        return new PlannedDelivery(UUID.randomUUID(), recipient, kind, "address", format, null);
    }

    @Test
    void aCharacterXmlCannotCarryIsRefusedForTheXmlRecipientOnlyNamingItsMember() throws Exception {
        Deliverability d = new Deliverability(Connectors.discover(), LIMITS);
        ValidationResult.Valid v = notice("Biên bản \u0001 kiểm tra");
        // The example's recipients: MPS.C03, MOF.TAX, MOIT.ECDE.
        List<ValidationError> errors = check(d, v, to("MPS.C03", ChannelKind.KAFKA, "police-case-json"),
                to("MOF.TAX", ChannelKind.JMS, "customs-xml"), to("MOIT.ECDE", ChannelKind.REST, "canonical-json"));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).code()).isEqualTo(ErrorCode.RECIPIENT_CANNOT_CARRY_CHARACTER);
        assertThat(errors.get(0).pointer()).isEqualTo("/payload/description");
        assertThat(errors.get(0).message()).contains("MOF.TAX").contains("customs-xml").contains("U+0001")
                .doesNotContain("Biên bản");
        assertThat(check(d, notice("Biên bản kiểm tra"), to("MOF.TAX", ChannelKind.JMS, "customs-xml"))).isEmpty();
    }

    @Test
    void aMessageOverTheRecipientChannelsLimitIsRefusedAtTheLimitItIsNot() throws Exception {
        ValidationResult.Valid v = notice("x");
        int size = CanonicalJson.mapper().writeValueAsBytes(v.normalized()).length;
        Map<ChannelKind, Integer> limits = new java.util.EnumMap<>(LIMITS);
        limits.put(ChannelKind.KAFKA, size);
        Deliverability atLimit = new Deliverability(Connectors.discover(), limits);
        assertThat(check(atLimit, v, to("MOIT.ECDE", ChannelKind.KAFKA, "canonical-json"))).isEmpty();
        limits.put(ChannelKind.KAFKA, size - 1);
        List<ValidationError> errors = check(new Deliverability(Connectors.discover(), limits), v,
                to("MPS.C03", ChannelKind.REST, "canonical-json"), to("MOIT.ECDE", ChannelKind.KAFKA, "canonical-json"));
        assertThat(errors).extracting(ValidationError::code).containsExactly(ErrorCode.TOO_LARGE_FOR_RECIPIENT);
        assertThat(errors.get(0).pointer()).isEqualTo("/recipients/2");
        assertThat(errors.get(0).message()).contains("MOIT.ECDE").contains("over kafka")
                .contains(String.format("%,d bytes", size)).contains(String.format("%,d", size - 1));
    }

    @Test
    void aFormatWithoutConnectorOrALimitMissingIsSaid() throws Exception {
        Deliverability d = new Deliverability(Connectors.discover(), LIMITS);
        assertThat(check(d, notice("x"), to("MPS.C03", ChannelKind.KAFKA, "no-such-format")))
                .extracting(ValidationError::code).containsExactly(ErrorCode.NOT_ENCODABLE_FOR_RECIPIENT);
        assertThatThrownBy(() -> new Deliverability(Connectors.discover(), Map.of(ChannelKind.REST, 1)))
                .hasMessageContaining("no positive size limit");
    }
}
