package vn.lienthong.gateway.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.SignedReceipts;

/**
 * A batch over REST (a tax CSV posted by an agency that also has a REST channel): the body is the
 * JSON array of receipts, and {@code Accept: application/jose} gives their signed forms, one per line.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RestBatchReceiptsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        FlowSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("lienthong.registry", RestBatchReceiptsTest::registryWithTaxOnRest);
    }

    /** The project's registry, with a REST channel added to the tax department (after its SFTP one). */
    private static String registryWithTaxOnRest() {
        try {
            String yaml = Files.readString(Path.of("../config/agencies.yaml"));
            String sftp = "        folder: mof-tax\n";
            assertThat(yaml).contains(sftp);
            Path file = Path.of("target", "rest-batch-agencies.yaml").toAbsolutePath();
            Files.writeString(file, yaml.replace(sftp, sftp + "      - kind: rest\n        format: canonical-json\n"
                    + "        delivery: pull\n"));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aBatchGetsAnArrayOfReceiptsOrItsSignedReceiptsOnePerLine() throws Exception {
        FlowSupport.taxExampleRequests(port);
        byte[] batch;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("formats/tax-csv/info.response-example.csv")) {
            batch = in.readAllBytes();
        }

        HttpResponse<String> json = post(batch, "application/json");
        HttpResponse<String> jose = post(batch, "application/jose");

        assertThat(json.statusCode()).as(json.body()).isIn(200, 202);
        JsonNode receipts = FlowSupport.json(json.body());
        assertThat(receipts.isArray()).as(json.body()).isTrue();
        assertThat(receipts.size()).isGreaterThan(1);
        assertThat(json.headers().firstValue("Lienthong-Receipt-Jws")).as("no header for a batch").isEmpty();

        // The same batch again: duplicates, so the very receipts of the first post, signed, and the
        // header names every item as a duplicate.
        assertThat(jose.statusCode()).isEqualTo(200);
        assertThat(jose.headers().firstValue("Lienthong-Duplicate-Items")).hasValue(
                IntStream.range(0, receipts.size()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(",")));
        assertThat(jose.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        List<String> lines = jose.body().lines().toList();
        assertThat(lines).hasSize(receipts.size());
        JWKSet keys = SignedReceipts.keys(port);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(SignedReceipts.verified(keys, lines.get(i))).as("receipt " + (i + 1)).isEqualTo(receipts.get(i));
        }
    }

    private HttpResponse<String> post(byte[] body, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Authorization", vn.lienthong.gateway.testsupport.Tokens.bearer("MOF.TAX")).header("Content-Type", "text/csv").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
