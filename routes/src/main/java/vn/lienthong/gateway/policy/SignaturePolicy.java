package vn.lienthong.gateway.policy;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Channel;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.registry.Signatures;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Holds an agency to signing what it sends where the registry says {@code signatures: required}
 * (Decree 30/2020: a signed e-document has the force of paper): an unsigned input on such a channel
 * is refused. Only the connector's mark is read; which formats can be signed is the connectors' to say.
 */
public final class SignaturePolicy {

    private final Supplier<Registry> registry;

    /** A policy over the given registry. */
    public SignaturePolicy(Registry registry) {
        this(() -> registry);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public SignaturePolicy(Supplier<Registry> registry) {
        this.registry = registry;
    }

    /**
     * Why an input may not be accepted for its signature, if it may not.
     *
     * @param format the format the input was decoded from
     * @param signature what the connector established about the input's own signature
     */
    public Optional<ValidationError> check(Source source, String format, Decoded.Signature signature) {
        if (signature.status() != Decoded.Signature.Status.UNSIGNED || source.agency() == null) {
            return Optional.empty();
        }
        Optional<Agency> agency = registry.get().agency(source.agency());
        if (agency.isEmpty() || setting(agency.get(), source, format) != Signatures.REQUIRED) {
            return Optional.empty();
        }
        String kind = source.channel().yamlName();
        return Optional.of(ValidationError.of(ErrorCode.SIGNATURE_REQUIRED, "", agency.get().code() + "'s " + kind
                + " input in format " + format + " must be signed (registry: signatures: required on its " + format
                + " channel) and this one carries no signature: sign it with a certificate registered for "
                + agency.get().code() + " with the gateway, and send it again"));
    }

    /**
     * The setting that governs an input: that of the agency's channels of the input's kind and format;
     * for a format the agency sends on another kind of channel (e.g. an edXML document posted over
     * REST, whose channel carries canonical JSON), that of its channels of the format. Any
     * {@code required} among them wins: a second channel must not be a way around the first.
     */
    private static Signatures setting(Agency agency, Source source, String format) {
        List<Channel> sameFormat = agency.channels().stream().filter(c -> c.format().name().equals(format)).toList();
        List<Channel> sameKind = sameFormat.stream().filter(c -> c.kind() == source.channel()).toList();
        return (sameKind.isEmpty() ? sameFormat : sameKind).stream()
                .anyMatch(c -> c.signatures() == Signatures.REQUIRED) ? Signatures.REQUIRED : Signatures.OPTIONAL;
    }
}
