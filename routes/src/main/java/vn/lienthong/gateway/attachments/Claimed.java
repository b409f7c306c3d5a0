package vn.lienthong.gateway.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import vn.lienthong.schemas.validation.CanonicalJson;

/** An attachment a canonical message names: its file name, media type and the SHA-256 the store keeps it under. */
public record Claimed(String name, String mediaType, String sha256) {

    private static final byte[] MEMBER = "\"attachments\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The attachments of a canonical message (none when it names none). */
    public static List<Claimed> of(byte[] canonical) {
        if (!mayName(canonical)) {
            return List.of();
        }
        try {
            List<Claimed> claimed = new ArrayList<>();
            for (JsonNode a : CanonicalJson.mapper().readTree(canonical).path("attachments")) {
                claimed.add(new Claimed(a.path("name").asText(), a.path("mediaType").asText(), a.path("sha256").asText()));
            }
            return claimed;
        } catch (IOException e) {
            throw new IllegalStateException("the journal's canonical message cannot be read", e);
        }
    }

    /**
     * Whether a canonical message may name attachments: the member's name occurs in its bytes. Most
     * messages have none; this spares the dispatch a parse of each of them.
     */
    public static boolean mayName(byte[] canonical) {
        outer:
        for (int i = 0; i <= canonical.length - MEMBER.length; i++) {
            for (int j = 0; j < MEMBER.length; j++) {
                if (canonical[i + j] != MEMBER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
