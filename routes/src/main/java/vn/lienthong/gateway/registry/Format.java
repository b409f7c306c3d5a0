package vn.lienthong.gateway.registry;

/** A native format a channel may carry: its registry name, media type and what it is. */
public record Format(String name, String mediaType, String description) {

    public Format {
        name = Names.require(name, Names.FORMAT_NAME, "format name");
        mediaType = Names.require(mediaType, Names.MEDIA_TYPE, "media type");
        description = Names.requireText(description, "description");
    }
}
