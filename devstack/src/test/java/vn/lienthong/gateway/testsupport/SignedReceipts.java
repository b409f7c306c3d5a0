package vn.lienthong.gateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Checks signed receipts the way a sending agency would: against the keys the gateway publishes at
 * {@code GET /api/v1/keys}, with nimbus-jose-jwt directly (not the gateway's own verifier), so the
 * tests verify the wire format, not the gateway's opinion of it.
 */
public final class SignedReceipts {

    /** The JWS {@code typ} of receipts. */
    public static final String TYPE = "lienthong-receipt+jws";
    /** The JWS {@code typ} of the signed root of a batch of receipts. */
    public static final String BATCH_TYPE = "lienthong-receipt-root+jws";

    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedReceipts() {
    }

    /** The keys the gateway on {@code port} publishes (fetched without any agency header or token). */
    public static JWKSet keys(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(keysUrl(port)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /api/v1/keys answered " + r.statusCode() + ": " + r.body());
            }
            return JWKSet.parse(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new AssertionError("GET /api/v1/keys is not a JWK set", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The URL of the keys endpoint of the gateway on {@code port}. */
    public static URI keysUrl(int port) {
        return URI.create("http://127.0.0.1:" + port + "/api/v1/keys");
    }

    /** The receipt JSON of a signed receipt that verifies against the gateway's published keys; fails the test otherwise. */
    public static JsonNode verified(int port, String jws) {
        return verified(keys(port), jws);
    }

    /** The receipt JSON of a signed receipt that verifies against {@code keys}; fails the test otherwise. */
    public static JsonNode verified(JWKSet keys, String jws) {
        Optional<String> problem = problem(keys, jws);
        if (problem.isPresent()) {
            throw new AssertionError("the receipt does not verify: " + problem.get() + "\n" + jws);
        }
        try {
            return CanonicalJson.mapper().readTree(payload(jws));
        } catch (IOException e) {
            throw new AssertionError("the receipt's payload is not JSON", e);
        }
    }

    /** Why a signed receipt (a compact JWS or a batch receipt) does not verify against {@code keys}; empty when it does. */
    public static Optional<String> problem(JWKSet keys, String jws) {
        if (isBatchReceipt(jws)) {
            return batchProblem(keys, jws);
        }
        return problem(keys, jws, TYPE);
    }

    /**
     * The README's check of a batch receipt, with nimbus and a few lines of hashing: the root JWS
     * verifies, and SHA-256(0x00 || receipt), combined up the path with SHA-256(0x01 || left ||
     * right), is the signed root.
     */
    private static Optional<String> batchProblem(JWKSet keys, String text) {
        JsonNode receipt;
        try {
            receipt = CanonicalJson.mapper().readTree(text);
        } catch (IOException e) {
            return Optional.of("a batch receipt that is not JSON");
        }
        String root = receipt.path("root").asText();
        Optional<String> rootProblem = problem(keys, root, BATCH_TYPE);
        if (rootProblem.isPresent()) {
            return Optional.of("the signed root: " + rootProblem.get());
        }
        try {
            JsonNode signed = CanonicalJson.mapper().readTree(payload(root));
            byte[] hash = sha256(new byte[] {0}, Base64.getUrlDecoder().decode(receipt.path("receipt").asText()));
            for (JsonNode step : receipt.path("path")) {
                hash = step.has("left")
                        ? sha256(new byte[] {1}, Base64.getUrlDecoder().decode(step.get("left").asText()), hash)
                        : sha256(new byte[] {1}, hash, Base64.getUrlDecoder().decode(step.get("right").asText()));
            }
            byte[] expected = Base64.getUrlDecoder().decode(signed.path("root").asText());
            return java.security.MessageDigest.isEqual(hash, expected) && "SHA-256".equals(signed.path("alg").asText())
                    ? Optional.empty() : Optional.of("the receipt and its path do not lead to the signed root");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("a batch receipt that cannot be read: " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code text} is a batch receipt: a JSON object with a receipt, a path and a root (not any JSON message). */
    public static boolean isBatchReceipt(String text) {
        if (!text.trim().startsWith("{")) {
            return false;
        }
        try {
            JsonNode node = CanonicalJson.mapper().readTree(text);
            return node.path("receipt").isTextual() && node.path("path").isArray() && node.path("root").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> problem(JWKSet keys, String jws, String type) {
        JWSObject parsed;
        try {
            parsed = JWSObject.parse(jws.trim());
        } catch (ParseException e) {
            return Optional.of("not a compact JWS: " + e.getMessage());
        }
        if (!new JOSEObjectType(type).equals(parsed.getHeader().getType())) {
            return Optional.of("typ is " + parsed.getHeader().getType());
        }
        if (!"application/json".equals(parsed.getHeader().getContentType())) {
            return Optional.of("cty is " + parsed.getHeader().getContentType());
        }
        String kid = parsed.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (key == null) {
            return Optional.of("key " + kid + " is not published");
        }
        try {
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(parsed.getHeader(),
                    ((AsymmetricJWK) key).toPublicKey());
            return parsed.verify(verifier) ? Optional.empty() : Optional.of("the signature does not match key " + kid);
        } catch (JOSEException e) {
            return Optional.of("cannot check with key " + kid + ": " + e.getMessage());
        }
    }

    /** Whether {@code text} is a compact JWS. */
    public static boolean isCompactJws(String text) {
        return COMPACT_JWS.matcher(text.trim()).matches();
    }

    /**
     * The payload of a compact JWS, or the receipt JSON of a batch receipt, unverified (for finding
     * a receipt among others before verifying it).
     */
    public static byte[] payload(String jws) {
        if (isBatchReceipt(jws)) {
            try {
                return Base64.getUrlDecoder().decode(CanonicalJson.mapper().readTree(jws).path("receipt").asText());
            } catch (IOException e) {
                throw new IllegalArgumentException("a batch receipt that is not JSON", e);
            }
        }
        String[] parts = jws.trim().split("\\.");
        return Base64.getUrlDecoder().decode(parts[1]);
    }

    /** What a receiver can search in: the receipt JSON of a compact JWS or batch receipt, else the text itself. */
    public static String readable(String text) {
        return isCompactJws(text) || isBatchReceipt(text) ? new String(payload(text), StandardCharsets.UTF_8) : text;
    }
}
