package vn.lienthong.gateway.registry;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One way an agency is connected: a transport, the native format it carries, and the addresses
 * that transport needs, typed per kind so a channel cannot exist without them.
 */
public sealed interface Channel permits Channel.Rest, Channel.Jms, Channel.Kafka, Channel.Sftp {

    // "Inbound" is agency to gateway, "outbound" gateway to agency. These accessors answer for
    // every kind, empty where the kind has no such address; the records hold the real fields.

    /** The transport. */
    ChannelKind kind();

    /** The native format carried on this channel. */
    Format format();

    /** Whether inputs on this channel must carry their format's own verified signature. */
    Signatures signatures();

    /** The same channel with this signature setting. */
    Channel withSignatures(Signatures setting);

    /** The queue or topic the agency sends on (JMS, Kafka). */
    default Optional<String> inbound() {
        return Optional.empty();
    }

    /** The queue or topic the gateway delivers on (JMS, Kafka). */
    default Optional<String> outbound() {
        return Optional.empty();
    }

    /** The agency's home folder on the gateway's SFTP server (SFTP). */
    default Optional<String> folder() {
        return Optional.empty();
    }

    /** Whether the agency pulls or the gateway pushes (REST). */
    default Optional<Delivery> delivery() {
        return Optional.empty();
    }

    /** Where the gateway POSTs deliveries (REST with push delivery). */
    default Optional<URI> url() {
        return Optional.empty();
    }

    /** Every queue, topic, folder or URL this channel occupies, for uniqueness checks and lookups. */
    List<String> addresses();

    /**
     * Where the gateway delivers on this channel: its outbound queue or topic, its SFTP folder, its
     * push URL; null for an inbox the agency pulls.
     */
    default String deliveryAddress() {
        return switch (kind()) {
            case JMS, KAFKA -> outbound().orElseThrow();
            case SFTP -> folder().orElseThrow();
            case REST -> url().map(Object::toString).orElse(null);
        };
    }

    /** A REST channel: the agency calls the gateway's API; deliveries are pulled or pushed to {@code pushUrl}. */
    record Rest(Format format, Delivery mode, URI pushUrl, Signatures signatures) implements Channel {

        /** Checks that a push channel has a URL and a pull channel none ({@code pushUrl} is null for pull). */
        public Rest {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(signatures, "signatures");
            Objects.requireNonNull(mode, "mode");
            if (mode == Delivery.PUSH) {
                Names.requireUrl(pushUrl);
            } else if (pushUrl != null) {
                throw new IllegalArgumentException("a pull channel has no url");
            }
        }

        /** A channel with signatures optional. */
        public Rest(Format format, Delivery mode, URI pushUrl) {
            this(format, mode, pushUrl, Signatures.OPTIONAL);
        }

        @Override
        public Rest withSignatures(Signatures setting) {
            return new Rest(format, mode, pushUrl, setting);
        }

        /** A channel whose agency pulls its inbox. */
        public static Rest pull(Format format) {
            return new Rest(format, Delivery.PULL, null);
        }

        /** A channel to which the gateway POSTs deliveries. */
        public static Rest push(Format format, URI url) {
            return new Rest(format, Delivery.PUSH, url);
        }

        @Override
        public ChannelKind kind() {
            return ChannelKind.REST;
        }

        @Override
        public Optional<Delivery> delivery() {
            return Optional.of(mode);
        }

        @Override
        public Optional<URI> url() {
            return Optional.ofNullable(pushUrl);
        }

        @Override
        public List<String> addresses() {
            return pushUrl == null ? List.of() : List.of(pushUrl.toString());
        }
    }

    /** A JMS (Artemis) channel: the agency puts on {@code inboundQueue}, the gateway on {@code outboundQueue}. */
    record Jms(Format format, String inboundQueue, String outboundQueue, Signatures signatures) implements Channel {

        /** Checks the queue names. */
        public Jms {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(signatures, "signatures");
            Names.require(inboundQueue, Names.QUEUE_OR_TOPIC, "inbound queue");
            Names.require(outboundQueue, Names.QUEUE_OR_TOPIC, "outbound queue");
            if (inboundQueue.equals(outboundQueue)) {
                throw new IllegalArgumentException("inbound and outbound are the same queue: " + inboundQueue);
            }
        }

        /** A channel with signatures optional. */
        public Jms(Format format, String inboundQueue, String outboundQueue) {
            this(format, inboundQueue, outboundQueue, Signatures.OPTIONAL);
        }

        @Override
        public Jms withSignatures(Signatures setting) {
            return new Jms(format, inboundQueue, outboundQueue, setting);
        }

        @Override
        public ChannelKind kind() {
            return ChannelKind.JMS;
        }

        @Override
        public Optional<String> inbound() {
            return Optional.of(inboundQueue);
        }

        @Override
        public Optional<String> outbound() {
            return Optional.of(outboundQueue);
        }

        @Override
        public List<String> addresses() {
            return List.of(inboundQueue, outboundQueue);
        }
    }

    /** A Kafka channel: the agency produces to {@code inboundTopic}, the gateway to {@code outboundTopic}. */
    record Kafka(Format format, String inboundTopic, String outboundTopic, Signatures signatures) implements Channel {

        /** Checks the topic names. */
        public Kafka {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(signatures, "signatures");
            Names.require(inboundTopic, Names.QUEUE_OR_TOPIC, "inbound topic");
            Names.require(outboundTopic, Names.QUEUE_OR_TOPIC, "outbound topic");
            if (inboundTopic.equals(outboundTopic)) {
                throw new IllegalArgumentException("inbound and outbound are the same topic: " + inboundTopic);
            }
        }

        /** A channel with signatures optional. */
        public Kafka(Format format, String inboundTopic, String outboundTopic) {
            this(format, inboundTopic, outboundTopic, Signatures.OPTIONAL);
        }

        @Override
        public Kafka withSignatures(Signatures setting) {
            return new Kafka(format, inboundTopic, outboundTopic, setting);
        }

        @Override
        public ChannelKind kind() {
            return ChannelKind.KAFKA;
        }

        @Override
        public Optional<String> inbound() {
            return Optional.of(inboundTopic);
        }

        @Override
        public Optional<String> outbound() {
            return Optional.of(outboundTopic);
        }

        @Override
        public List<String> addresses() {
            return List.of(inboundTopic, outboundTopic);
        }
    }

    /** An SFTP drop: the agency's home folder on the gateway's SFTP server, relative to its root. */
    record Sftp(Format format, String homeFolder, Signatures signatures) implements Channel {

        /** Checks the folder is a plain relative path. */
        public Sftp {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(signatures, "signatures");
            Names.require(homeFolder, Names.FOLDER, "folder");
        }

        /** A channel with signatures optional. */
        public Sftp(Format format, String homeFolder) {
            this(format, homeFolder, Signatures.OPTIONAL);
        }

        @Override
        public Sftp withSignatures(Signatures setting) {
            return new Sftp(format, homeFolder, setting);
        }

        @Override
        public ChannelKind kind() {
            return ChannelKind.SFTP;
        }

        @Override
        public Optional<String> folder() {
            return Optional.of(homeFolder);
        }

        @Override
        public List<String> addresses() {
            return List.of(homeFolder);
        }
    }
}
