package vn.lienthong.gateway.registry;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import vn.lienthong.schemas.MessageType;

/**
 * A native format a channel may carry: its registry name, media type, what it is, and the message
 * types it can express ({@code carries}; empty means every type).
 */
public record Format(String name, String mediaType, String description, Set<MessageType> carries) {

    public Format {
        name = Names.require(name, Names.FORMAT_NAME, "format name");
        mediaType = Names.require(mediaType, Names.MEDIA_TYPE, "media type");
        description = Names.requireText(description, "description");
        EnumSet<MessageType> set = EnumSet.noneOf(MessageType.class);
        set.addAll(carries == null ? Set.of() : carries);
        carries = Collections.unmodifiableSet(set);
    }

    /** A format that carries every message type. */
    public Format(String name, String mediaType, String description) {
        this(name, mediaType, description, Set.of());
    }

    /** Whether this format can express messages of this type. */
    public boolean carries(MessageType type) {
        return carries.isEmpty() || carries.contains(type);
    }
}
