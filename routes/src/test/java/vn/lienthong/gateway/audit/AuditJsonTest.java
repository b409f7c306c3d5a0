package vn.lienthong.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The streamed canonical rendering of audit details gives what the tree rendering gives (the text
 * that is hashed must not change), for canonical texts, jsonb's reordered ones and odd ones alike.
 */
class AuditJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "[]",
        "{\"a\":1}",
        // jsonb's order (shorter keys first), with its white space
        "{\"type\": \"violation.notice\", \"sender\": \"BENCH.SRC\", \"channel\": \"jms\", \"messageId\":"
                + " \"0b3c1f0e-9a4c-4b39-8f0e-5f0c1c1a2b3c\", \"messageSeq\": 42, \"deliveries\": [{\"channel\":"
                + " \"kafka\", \"recipient\": \"BENCH.DST\", \"deliveryId\": \"7d8e\"}], \"recipients\": [\"BENCH.DST\"]}",
        "{\"z\":{\"y\":[1,2,{\"b\":null,\"a\":true}],\"x\":false},\"a\":\"\"}",
        "{\"s\":\"quote \\\" backslash \\\\ newline \\n tab \\t cr \\r bell \\u0007 nul \\u0000 end\"}",
        "{\"pair\":\"\\ud83d\\ude00\",\"lone\":\"a\\ud800b\",\"low\":\"\\udc00\",\"vi\":\"Người bán nước ngoài\"}",
        "{\"b\":1,\"a\":2,\"b\":3}",
        // sorted member by member while streaming: nested, many members, a key read twice inside
        "{\"kk\":{\"j\":1,\"i\":2,\"h\":3,\"g\":4,\"f\":5,\"e\":6,\"d\":7,\"c\":8,\"b\":9,\"a\":10},\"k\":[{\"y\":1,\"x\":{\"q\":[],\"p\":{}}}]}",
        "{\"zz\":1,\"a\":{\"b\":1,\"a\":2,\"b\":3}}",
        "{\"b\":{\"d\":\"\\u0000\",\"c\":\"x\"},\"a\":[{\"b\":2,\"a\":1},{\"a\":1,\"b\":2}]}",
        "{\"ab\":1,\"b\":2,\"aa\":3,\"a\":4}",
        "{\"a\\u0000\":1,\"a\\ufffd\":2}",
        "{\"a\\ufffd\":1,\"a\\u0000\":2}",
        "{\"a\\u0000\":1,\"a\\ufffd\":2,\"a\\u0000\":3}",
        "{\"big\":123456789012345678901234567890,\"neg\":-17,\"zero\":-0,\"long\":9223372036854775807}",
        "\"text\"",
        "12",
        "null",
        "{\"a\":1} ",
    })
    void theStreamedRenderingIsTheTreeRendering(String json) {
        for (boolean strict : new boolean[] {true, false}) {
            assertThat(AuditJson.canonicalOfJson(json, strict)).isEqualTo(AuditJson.canonicalOfTree(json, strict));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1.5}", "[1,{\"b\":2.0}]", "{\"a\":1e3,\"b\":1}"})
    void floatsAreRefusedWhenStrictAndKeptOtherwise(String json) {
        assertThatThrownBy(() -> AuditJson.canonicalOfJson(json, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("floating-point numbers are not allowed in an audit detail");
        assertThat(AuditJson.canonicalOfJson(json, false)).isEqualTo(AuditJson.canonicalOfTree(json, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{} x", "[1,]", "{\"a\":1}{}", "{\"a\" 1}"})
    void whatIsNotJsonIsRefusedAsBefore(String json) {
        Throwable streamed = catchThrowable(() -> AuditJson.canonicalOfJson(json, true));
        Throwable tree = catchThrowable(() -> AuditJson.canonicalOfTree(json, true));
        assertThat(streamed).isInstanceOf(IllegalArgumentException.class);
        assertThat(streamed.getMessage()).isEqualTo(tree.getMessage());
    }

    @Test
    void stringsAreEscapedByTheOneRule() {
        assertThat(AuditJson.canonicalOfJson("{\"s\":\"q \\\" b \\\\ n \\n t \\t r \\r bell \\u0007 nul \\u0000"
                + " pair \\ud83d\\ude00 lone \\ud800 low \\udc00 / é\"}", true))
                .isEqualTo("{\"s\":\"q \\\" b \\\\ n \\n t \\t r \\r bell \\u0007 nul \uFFFD"
                        + " pair \ud83d\ude00 lone \uFFFD low \uFFFD / é\"}");
    }

    @Test
    void anEntrysDetailIsItsOwnCanonicalForm() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("messageId", UUID.fromString("0b3c1f0e-9a4c-4b39-8f0e-5f0c1c1a2b3c"));
        detail.put("messageSeq", 42L);
        detail.put("sender", "BENCH.SRC");
        detail.put("recipients", List.of("BENCH.DST", "MPS.A05"));
        detail.put("at", Instant.parse("2026-12-07T18:00:00Z"));
        detail.put("big", new BigInteger("123456789012345678901234567890"));
        detail.put("odd \u0000 key", "lone \ud800 and \"quoted\"\n");
        detail.put("signature", Map.of("status", "not_applicable"));
        String canonical = AuditJson.canonical(detail);
        assertThat(AuditJson.canonicalOfJson(canonical, true)).isEqualTo(canonical)
                .isEqualTo(AuditJson.canonicalOfTree(canonical, true));
        assertThat(AuditEntry.of("BENCH.SRC", AuditAction.MESSAGE_ACCEPTED, "s", detail).detail()).isEqualTo(canonical);
        assertThat(canonical).startsWith("{\"at\":\"2026-12-07T18:00:00Z\",\"big\":123456789012345678901234567890,")
                .contains("\"odd \uFFFD key\":\"lone \uFFFD and \\\"quoted\\\"\\n\"");
    }

    @Test
    void onlyTheVeryTextJustRenderedSkipsTheSecondParse() {
        String canonical = AuditJson.canonical(Map.of("b", 1, "a", 2));
        assertThat(canonical).isEqualTo("{\"a\":2,\"b\":1}");
        // Another text on the same thread, right after: rendered canonically as before.
        assertThat(new AuditEntry("x", "y", "z", "{\"b\": 1, \"a\": 2}").detail()).isEqualTo(canonical);
        assertThatThrownBy(() -> new AuditEntry("x", "y", "z", "{\"a\":1.5}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new AuditEntry("x", "y", "z", canonical).detail()).isSameAs(canonical);
    }
}
