package vn.lienthong.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.ChannelKind;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.validation.CanonicalJson;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.validation.MessageValidator;
import vn.lienthong.schemas.errors.ValidationError;
import vn.lienthong.schemas.validation.ValidationResult;

/** The policy over the real registry: who the credential names, which roles it holds, what the registry allows. */
class AuthorizerTest {

    private static final Registry REGISTRY = Registry.load(Path.of("../config/agencies.yaml"));
    private static final Authorizer AUTHORIZER = new Authorizer(REGISTRY);
    private static final Set<String> PROVINCE_ROLES = Set.of("notice:send", "case:transfer", "info:request",
            "info:respond", "report:submit");

    @Test
    void anAgencyWithTheRoleAndTheRightSendsOnItsOwnChannel() {
        Envelope notice = notice("PROV.37", "MOIT.DMS");
        assertThat(AUTHORIZER.check(notice, new Source(ChannelKind.SFTP, "prov-37/inbox", "PROV.37"),
                caller("PROV.37", "prov-37", PROVINCE_ROLES))).isEmpty();
        assertThat(AUTHORIZER.check(notice, new Source(ChannelKind.REST, "/api/v1/messages", "PROV.37"),
                caller("PROV.37", "prov-37", PROVINCE_ROLES))).isEmpty();
    }

    @Test
    void anotherAgencysCredentialOnAChannelIsASenderMismatch() {
        Envelope notice = notice("MOIT.DMS", "PROV.37");
        List<ValidationError> errors = AUTHORIZER.check(notice, new Source(ChannelKind.KAFKA, "lienthong.MOIT.DMS.in",
                "MOIT.DMS"), caller("PROV.37", "prov-37", PROVINCE_ROLES));
        assertThat(errors).extracting(ValidationError::code).containsExactly(ErrorCode.SENDER_MISMATCH);
        assertThat(errors.get(0).message()).isEqualTo("the kafka channel belongs to MOIT.DMS but the credential is PROV.37's");
    }

    @Test
    void anEnvelopeNamingAnotherSenderThanTheCredentialIsASenderMismatch() {
        Envelope notice = notice("MOIT.DMS", "PROV.37");
        List<ValidationError> errors = AUTHORIZER.check(notice, new Source(ChannelKind.REST, "/api/v1/messages",
                "PROV.37"), caller("PROV.37", "prov-37", PROVINCE_ROLES));
        assertThat(errors).extracting(ValidationError::code).containsExactly(ErrorCode.SENDER_MISMATCH);
        assertThat(errors.get(0).pointer()).isEqualTo("/sender");
    }

    @Test
    void aProvinceRequestingAFreezeIsNotAuthorizedEvenWithTheRole() {
        Envelope freeze = freezeRequest("PROV.37");
        Set<String> roles = new java.util.HashSet<>(PROVINCE_ROLES);
        roles.add("freeze:request");
        List<ValidationError> errors = AUTHORIZER.check(freeze, new Source(ChannelKind.SFTP, "prov-37/inbox", "PROV.37"),
                caller("PROV.37", "prov-37", roles));
        assertThat(errors).extracting(ValidationError::code).contains(ErrorCode.NOT_AUTHORIZED);
        assertThat(errors.get(0).message()).isEqualTo("PROV.37 may not send freeze.request");
    }

    @Test
    void theRegistrysRightWithoutTheRoleIsNotAuthorizedAndNamesTheRole() {
        Envelope freeze = freezeRequest("MPS.C03");
        List<ValidationError> errors = AUTHORIZER.check(freeze, new Source(ChannelKind.KAFKA, "lienthong.MPS.C03.in",
                "MPS.C03"), caller("MPS.C03", "mps-c03", Set.of("info:request", "info:respond")));
        assertThat(errors).extracting(ValidationError::code).containsExactly(ErrorCode.NOT_AUTHORIZED);
        assertThat(errors.get(0).pointer()).isEqualTo("/type");
        assertThat(errors.get(0).message()).isEqualTo("MPS.C03 lacks the role freeze:request in Keycloak, needed to send freeze.request");

        assertThat(AUTHORIZER.check(freeze, new Source(ChannelKind.KAFKA, "lienthong.MPS.C03.in", "MPS.C03"),
                caller("MPS.C03", "mps-c03", Set.of("freeze:request")))).isEmpty();
    }

    private static Caller caller(String agency, String client, Set<String> roles) {
        return new Caller(agency, client, roles, null);
    }

    private static Envelope notice(String sender, String... recipients) {
        ObjectNode notice = example("violation.notice/valid-counterfeit-cosmetics-shopee.json");
        notice.put("sender", sender);
        var list = notice.putArray("recipients");
        for (String r : recipients) {
            list.add(r);
        }
        return valid(notice);
    }

    private static Envelope freezeRequest(String sender) {
        ObjectNode freeze = example("freeze.request/valid-freeze-cpc129.json");
        freeze.put("sender", sender);
        freeze.putArray("recipients").add("SBV");
        return valid(freeze);
    }

    private static ObjectNode example(String path) {
        try (InputStream in = AuthorizerTest.class.getClassLoader().getResourceAsStream("lienthong/examples/v1/" + path)) {
            ObjectNode node = (ObjectNode) CanonicalJson.mapper().readTree(in);
            node.put("messageId", UUID.randomUUID().toString());
            node.put("createdAt", OffsetDateTime.now(ZoneOffset.ofHours(7)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")));
            return node;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Envelope valid(ObjectNode node) {
        ValidationResult result = new MessageValidator().validate(node);
        assertThat(result.errors()).as("the test message itself").isEmpty();
        return ((ValidationResult.Valid) result).message();
    }
}
