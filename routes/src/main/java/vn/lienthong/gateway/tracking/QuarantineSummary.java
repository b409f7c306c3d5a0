package vn.lienthong.gateway.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/** A refused input: where it came from, who claimed to send it, its size and hash, and its errors. */
public record QuarantineSummary(UUID quarantineId, Instant receivedAt, String channel, String source,
        String claimedSender, UUID messageId, String inputSha256, int bytes, JsonNode errors) {
}
