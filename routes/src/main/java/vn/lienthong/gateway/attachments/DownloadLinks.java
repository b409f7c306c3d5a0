package vn.lienthong.gateway.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Signed, expiring download links for a recipient's attachments: {@code <base>/api/v1/attachments/
 * <sha256>?sig=<compact JWS>}, the JWS signed with the gateway's key (the receipt key, published at
 * {@code GET /api/v1/keys}) over {@code {"use":"attachment","sha256","messageId","agency","exp"}}.
 * A link lets its holder download that one file until it expires, without a token, as a pre-signed
 * object URL does; every download by link is audited with the recipient it was made for.
 */
public final class DownloadLinks {

    /** The value of {@code use} in a link's claims: no receipt or push signature passes as a link. */
    public static final String USE = "attachment";
    /** The download path of links, followed by the SHA-256. */
    public static final String PATH = "/api/v1/attachments/";

    /** What a verified link allows: this agency may read this message's attachment. */
    public record Grant(String sha256, UUID messageId, String agency, Instant expires) {
    }

    /** Checks a compact JWS made by the gateway's key and returns its payload, or throws why not. */
    @FunctionalInterface
    public interface Verifier {
        /** The payload of a JWS that verifies against the gateway's published keys. */
        byte[] verify(String compactJws) throws Exception;
    }

    private final UnaryOperator<byte[]> signer;
    private final Verifier verifier;
    private final Supplier<String> baseUrl;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * Links signed by {@code signer}, checked by {@code verifier}, under the gateway's public base URL
     * (e.g. {@code https://lienthong.gov.vn}), valid for {@code lifetime}.
     */
    public DownloadLinks(UnaryOperator<byte[]> signer, Verifier verifier, Supplier<String> baseUrl, Duration lifetime,
            Clock clock) {
        this.signer = signer;
        this.verifier = verifier;
        this.baseUrl = baseUrl;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** The link by which {@code agency} downloads attachment {@code sha256} of message {@code messageId}. */
    public String link(UUID messageId, String sha256, String agency) {
        ObjectNode claims = CanonicalJson.mapper().createObjectNode().put("use", USE).put("sha256", sha256)
                .put("messageId", messageId.toString()).put("agency", agency)
                .put("exp", clock.instant().plus(lifetime).getEpochSecond());
        byte[] jws;
        try {
            jws = signer.apply(CanonicalJson.mapper().writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String base = baseUrl.get();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH + sha256 + "?sig="
                + new String(jws, StandardCharsets.US_ASCII);
    }

    /**
     * What a link's signature allows for attachment {@code sha256}; empty when it does not verify,
     * is not a link, names another file, or has expired.
     */
    public Optional<Grant> verify(String sha256, String sig) {
        if (sig == null || sig.isBlank()) {
            return Optional.empty();
        }
        JsonNode claims;
        try {
            claims = CanonicalJson.mapper().readTree(verifier.verify(sig));
        } catch (Exception e) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(claims.path("exp").asLong(0));
        if (!USE.equals(claims.path("use").asText()) || !sha256.equals(claims.path("sha256").asText())
                || !clock.instant().isBefore(expires) || claims.path("agency").asText().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Grant(sha256, UUID.fromString(claims.path("messageId").asText()),
                    claims.path("agency").asText(), expires));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The canonical message as delivered to {@code recipient}: each attachment's {@code ref} is the
     * recipient's own download link; a message without attachments is returned as it is.
     */
    public byte[] withLinks(byte[] canonical, UUID messageId, String recipient) {
        if (!Claimed.mayName(canonical)) {
            return canonical;
        }
        try {
            JsonNode tree = CanonicalJson.mapper().readTree(canonical);
            JsonNode attachments = tree.path("attachments");
            if (!attachments.isArray() || attachments.isEmpty()) {
                return canonical;
            }
            for (JsonNode a : attachments) {
                ((ObjectNode) a).put("ref", link(messageId, a.path("sha256").asText(), recipient));
            }
            return CanonicalJson.mapper().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("the journal's canonical message cannot be read", e);
        }
    }
}
