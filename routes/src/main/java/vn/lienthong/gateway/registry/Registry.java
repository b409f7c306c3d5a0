package vn.lienthong.gateway.registry;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.schemas.MessageType;

/**
 * The agency registry: every participant and the native formats their channels carry, as read
 * from {@code config/agencies.yaml}.
 */
public record Registry(List<Format> formats, List<Agency> agencies) {

    // Lookups scan the lists: a registry holds tens of agencies, and a record keeps no index.

    /** Copies the lists and refuses duplicate codes or channels on formats not listed. */
    public Registry {
        formats = List.copyOf(formats);
        agencies = List.copyOf(agencies);
        Set<String> names = new HashSet<>();
        for (Format f : formats) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("duplicate format " + f.name());
            }
        }
        Set<String> codes = new HashSet<>();
        for (Agency a : agencies) {
            if (!codes.add(a.code())) {
                throw new IllegalArgumentException("duplicate agency " + a.code());
            }
            for (Channel c : a.channels()) {
                if (!formats.contains(c.format())) {
                    throw new IllegalArgumentException(a.code() + ": format " + c.format().name() + " is not listed");
                }
            }
        }
    }

    /**
     * Reads and checks a registry file (UTF-8).
     *
     * @throws RegistryException listing every problem found, each with the file and line
     */
    public static Registry load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new RegistryException(List.of(new Problem(file.toString(), 0, "is not valid UTF-8")), e);
        } catch (IOException e) {
            throw new RegistryException(List.of(new Problem(file.toString(), 0, "cannot be read: " + e)), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Checks registry YAML given as text.
     *
     * @param fileNameForMessages the name problems are reported under, e.g. {@code config/agencies.yaml}
     * @throws RegistryException listing every problem found
     */
    public static Registry parse(String yamlText, String fileNameForMessages) {
        return parse(yamlText, fileNameForMessages, RegistryParser.CURRENT_PROVINCES);
    }

    // Package-private so tests can check the province rule against a list of their own.
    static Registry parse(String yamlText, String fileNameForMessages, Predicate<String> isCurrentProvince) {
        return new RegistryParser(fileNameForMessages, isCurrentProvince, SignedFormats.ON_CLASSPATH)
                .parse(yamlText);
    }

    /** The formats whose connector on the classpath verifies signatures, asked once (the registry names no format itself). */
    private static final class SignedFormats {
        static final Set<String> ON_CLASSPATH = Connectors.discover().signedFormats();
    }

    /** The agency with this code. */
    public Optional<Agency> agency(String code) {
        return agencies.stream().filter(a -> a.code().equals(code)).findFirst();
    }

    /** The format with this name. */
    public Optional<Format> format(String name) {
        return formats.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * The agency a message arriving on this address comes from: the owner of a JMS inbound queue,
     * a Kafka inbound topic, or an SFTP home folder (a path below the folder counts too).
     * Always empty for REST, whose callers are known by their token, not by an address.
     */
    public Optional<Agency> ownerOf(ChannelKind kind, String address) {
        if (kind == ChannelKind.REST || address == null) {
            return Optional.empty();
        }
        return agencies.stream()
                .filter(a -> a.channels(kind).stream().anyMatch(c -> owns(c, address)))
                .findFirst();
    }

    /** Whether the agency with this code exists and may send this type. */
    public boolean maySend(String code, MessageType type) {
        return agency(code).map(a -> a.maySend(type)).orElse(false);
    }

    /** Whether the agency with this code exists and may receive this type. */
    public boolean mayReceive(String code, MessageType type) {
        return agency(code).map(a -> a.mayReceive(type)).orElse(false);
    }

    /** The agencies that may receive this type, in registry order. */
    public List<Agency> receiversOf(MessageType type) {
        return agencies.stream().filter(a -> a.mayReceive(type)).toList();
    }

    private static boolean owns(Channel channel, String address) {
        if (channel instanceof Channel.Sftp sftp) {
            String folder = sftp.homeFolder();
            String path = address.startsWith("/") ? address.substring(1) : address;
            return path.equals(folder) || path.startsWith(folder + "/");
        }
        return channel.inbound().map(address::equals).orElse(false);
    }
}
