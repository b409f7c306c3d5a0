package vn.lienthong.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/** Which inputs the registry's {@code signatures: required} refuses, and which it leaves alone. */
class SignaturePolicyTest {

    private static final Registry REGISTRY = Registry.parse("""
            formats:
              - {name: canonical-json, mediaType: application/json, description: canonical envelope}
              - {name: edxml, mediaType: application/xml, description: edXML}
            agencies:
              - code: PROV.37
                name: {vi: Tỉnh Ninh Bình, en: Ninh Bình Province}
                keycloakClient: prov-37
                sends: [violation.notice]
                receives: [receipt]
                channels:
                  - {kind: rest, format: canonical-json, delivery: pull}
                  - {kind: sftp, format: edxml, folder: prov-37, signatures: required}
                  - {kind: jms, format: edxml, inbound: p37.in, outbound: p37.out}
              - code: PROV.79
                name: {vi: Thành phố Hồ Chí Minh, en: Hồ Chí Minh City}
                keycloakClient: prov-79
                sends: [violation.notice]
                receives: [receipt]
                channels:
                  - {kind: sftp, format: edxml, folder: prov-79}
            """, "inline.yaml");
    private static final SignaturePolicy POLICY = new SignaturePolicy(REGISTRY);
    private static final Decoded.Signature VERIFIED = Decoded.Signature.verified("PROV.37", "CN=x", "ab".repeat(32));

    private static Optional<ValidationError> check(ChannelKind kind, String agency, String format, Decoded.Signature s) {
        return POLICY.check(new Source(kind, "somewhere", agency), format, s);
    }

    @Test
    void anUnsignedInputOnARequiredChannelIsRefusedNamingTheAgencyAndFormat() {
        Optional<ValidationError> refused = check(ChannelKind.SFTP, "PROV.37", "edxml", Decoded.Signature.UNSIGNED);

        assertThat(refused).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_REQUIRED);
            assertThat(e.message()).startsWith("PROV.37's sftp input in format edxml must be signed");
        });
    }

    @Test
    void theFormatOverRestIsHeldToTheAgencysChannelOfThatFormat() {
        assertThat(check(ChannelKind.REST, "PROV.37", "edxml", Decoded.Signature.UNSIGNED)).isPresent();
        assertThat(check(ChannelKind.REST, "PROV.37", "canonical-json", Decoded.Signature.NOT_APPLICABLE)).isEmpty();
    }

    @Test
    void signedInputsOptionalChannelsAndOtherAgenciesPass() {
        assertThat(check(ChannelKind.SFTP, "PROV.37", "edxml", VERIFIED)).isEmpty();
        // Its JMS channel of the same format is optional: the setting is per channel.
        assertThat(check(ChannelKind.JMS, "PROV.37", "edxml", Decoded.Signature.UNSIGNED)).isEmpty();
        assertThat(check(ChannelKind.SFTP, "PROV.79", "edxml", Decoded.Signature.UNSIGNED)).isEmpty();
        assertThat(check(ChannelKind.SFTP, null, "edxml", Decoded.Signature.UNSIGNED)).isEmpty();
    }
}
