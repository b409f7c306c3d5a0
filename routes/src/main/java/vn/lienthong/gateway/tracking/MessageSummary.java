package vn.lienthong.gateway.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A message in search results: who, what, when, and how many of its deliveries are in each status. */
public record MessageSummary(UUID messageId, String sender, String type, List<String> recipients, String correlationId,
        String priority, String classification, String channel, Instant receivedAt, Map<String, Integer> deliveries) {
}
