package vn.lienthong.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** Credentials masked wherever they stand in a log line, and nothing else touched. */
class SecretMaskTest {

    /** A real-shaped access token (header, payload, signature). */
    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCIgOiAiSldUIiwia2lkIiA6ICJrMSJ9"
            + ".eyJleHAiOjE3NjUxMDAwMDAsImF6cCI6Im1vaXQtZG1zIiwiYWdlbmN5IjoiTU9JVC5ETVMifQ"
            + ".c2lnbmF0dXJlLWJ5dGVzLW9mLXRoZS10b2tlbi0xMjM0NTY3ODkwYWJjZGVm";

    @Test
    void aTokenIsMaskedWhereverItStands() {
        assertThat(SecretMask.mask("token " + JWT + " refused")).isEqualTo("token **** refused");
        assertThat(SecretMask.mask("{\"access_token\":\"" + JWT + "\",\"expires_in\":300}"))
                .doesNotContain("eyJhbGci").doesNotContain("c2lnbmF0dXJl").contains("\"expires_in\":300");
        assertThat(SecretMask.mask("(" + JWT + ")")).isEqualTo("(****)");
        // Cut short by a logger's abbreviation, or only its header and payload: still masked.
        assertThat(SecretMask.mask("…" + JWT.substring(0, 40) + "…")).isEqualTo("…****…");
        assertThat(SecretMask.mask(JWT.substring(0, JWT.lastIndexOf('.') + 1))).isEqualTo("****");
        // A JWE has five parts.
        assertThat(SecretMask.mask("eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn end")).isEqualTo("**** end");
    }

    @Test
    void theArtemisAuditLineOfAMessageLosesItsToken() {
        String audit = "AMQ601500: User anonymous@127.0.0.1:44532 is sending a message CoreMessage[messageID=12,"
                + " durable=true, address=lienthong.MOIT.DMS.in, properties=TypedProperties[__AMQ_CID=c1,"
                + "Authorization=Bearer " + JWT + ",JMSXDeliveryCount=0,_AMQ_INGRESS_TIMESTAMP=1765100000000]]";
        String masked = SecretMask.mask(audit);
        assertThat(masked).doesNotContain(JWT.substring(0, 20)).doesNotContain("c2lnbmF0dXJl")
                .contains("Authorization=Bearer ****,JMSXDeliveryCount=0");
    }

    @Test
    void authorizationSchemesAreMaskedInAnyCaseAndEncoding() {
        assertThat(SecretMask.mask("Authorization: Bearer abc.def-ghi_jkl")).isEqualTo("Authorization: Bearer ****");
        assertThat(SecretMask.mask("authorization=bearer   opaque-token-42;next")).isEqualTo("authorization=bearer   ****;next");
        assertThat(SecretMask.mask("?Authorization=Bearer%20opaque123&limit=5")).isEqualTo("?Authorization=Bearer%20****&limit=5");
        assertThat(SecretMask.mask("Authorization: Basic Z2F0ZXdheTpzM2NyM3Q=")).isEqualTo("Authorization: Basic ****");
        // Prose keeps its words: "basic" before a short word is no credential.
        assertThat(SecretMask.mask("basic checks passed")).isEqualTo("basic checks passed");
    }

    @Test
    void keyedSecretsAreMaskedInFormsJsonPropertiesAndUris() {
        assertThat(SecretMask.mask("grant_type=client_credentials&client_id=moit-dms&client_secret=s3cr3t-V@lue&scope=x"))
                .isEqualTo("grant_type=client_credentials&client_id=moit-dms&client_secret=****&scope=x");
        assertThat(SecretMask.mask("{\"clientSecret\" : \"has spaces, commas\", \"enabled\":true}"))
                .isEqualTo("{\"clientSecret\" : \"****\", \"enabled\":true}");
        assertThat(SecretMask.mask("spring.datasource.password=pg-pass lienthong.identity.client-secret: kc-secret"))
                .isEqualTo("spring.datasource.password=**** lienthong.identity.client-secret: ****");
        assertThat(SecretMask.mask("sftp://gateway@127.0.0.1:2222/inbox?password=RAW(p&ss)w0rd)&binary=true"))
                .doesNotContain("p&ss").contains("password=RAW(****)");
        assertThat(SecretMask.mask("Grant[accessToken=opaque, refreshToken=other, expiresAt=2026-12-07T10:00:00Z]"))
                .isEqualTo("Grant[accessToken=****, refreshToken=****, expiresAt=2026-12-07T10:00:00Z]");
        assertThat(SecretMask.mask("client_secret%3Dencoded%26next")).isEqualTo("client_secret%3D****");
        assertThat(SecretMask.mask("PASSWORD='quoted value'")).isEqualTo("PASSWORD='****'");
    }

    @Test
    void aUrlsUserInfoLosesItsPassword() {
        assertThat(SecretMask.mask("connecting to sftp://mof-tax:tax-password@127.0.0.1:2222/inbox"))
                .isEqualTo("connecting to sftp://mof-tax:****@127.0.0.1:2222/inbox");
        assertThat(SecretMask.mask("jdbc:postgresql://127.0.0.1:5433/lienthong")).isEqualTo("jdbc:postgresql://127.0.0.1:5433/lienthong");
    }

    @Test
    void ordinaryLinesAreLeftAlone() {
        for (String line : new String[] {"", "Started GatewayApplication in 28.1 seconds",
                "ingress-jms-MOIT.DMS: tokens are checked as of the broker's ingress timestamp",
                "receipt to MOF.TAX not sent: timeout", "http://127.0.0.1:8080/api/v1/inbox?limit=50",
                "SecretMask: nothing here", "message 7c1e0f5e-0b7a-4d3c-9a55-d2a3e1f0b6a1 DELIVERED to MPS.C03"}) {
            assertThat(SecretMask.mask(line)).isEqualTo(line);
        }
        assertThat(SecretMask.mask(null)).isNull();
    }

    @Test
    void maskingTwiceChangesNothingMore() {
        String once = SecretMask.mask("Authorization=Bearer " + JWT + " password=x sftp://u:p@h/");
        assertThat(SecretMask.mask(once)).isEqualTo(once);
    }

    @Test
    void theLayoutMasksMessagesArgumentsExceptionsAndStackTraces() {
        LoggerContext context = new LoggerContext();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%level %logger %mdc %msg%n");
        layout.start();
        Exception cause = new IllegalStateException("Keycloak said: client_secret=kc-secret rejected for " + JWT);
        Exception thrown = new RuntimeException("calling with Authorization: Bearer " + JWT, cause);
        LoggingEvent event = new LoggingEvent(SecretMaskTest.class.getName(), context.getLogger("some.library"),
                Level.WARN, "sending {} with {}", thrown, new Object[] {"password=hunter2", JWT});
        event.setMDCPropertyMap(java.util.Map.of("authorization", "Bearer " + JWT));

        String line = layout.doLayout(event);

        assertThat(line).doesNotContain("eyJhbGci").doesNotContain("hunter2").doesNotContain("kc-secret")
                .contains("sending password=**** with ****").contains("IllegalStateException")
                .contains("at vn.lienthong.gateway.logging.SecretMaskTest");
    }
}
