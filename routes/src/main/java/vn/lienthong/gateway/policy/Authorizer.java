package vn.lienthong.gateway.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import vn.lienthong.gateway.identity.Capability;
import vn.lienthong.gateway.identity.Caller;
import vn.lienthong.gateway.message.Source;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.schemas.MessageType;
import vn.lienthong.schemas.v1.Envelope;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Sender capability x message type x recipients: the proved caller must be the agency that owns
 * the channel and the envelope's sender; its Keycloak roles must include the capability for the
 * type, and the registry must let it send the type; every recipient exists and may receive it.
 * Receipts are the gateway's own and are never accepted from an agency.
 */
public final class Authorizer {

    private final Supplier<Registry> registry;

    /** A policy over the given registry. */
    public Authorizer(Registry registry) {
        this(() -> registry);
    }

    /** The same over the registry in force (a {@link vn.lienthong.gateway.registry.LiveRegistry}), read at each use. */
    public Authorizer(Supplier<Registry> registry) {
        this.registry = registry;
    }

    /** Every reason to refuse a message that {@code caller} sent on {@code source}; empty when it may go. */
    public List<ValidationError> check(Envelope message, Source source, Caller caller) {
        List<ValidationError> errors = new ArrayList<>();
        String channel = source.channel().name().toLowerCase(java.util.Locale.ROOT);
        if (source.agency() != null && !source.agency().equals(caller.agency())) {
            errors.add(ValidationError.of(ErrorCode.SENDER_MISMATCH, "", "the " + channel + " channel belongs to "
                    + source.agency() + " but the credential is " + caller.agency() + "'s"));
            return errors;
        }
        if (!caller.agency().equals(message.sender())) {
            errors.add(ValidationError.of(ErrorCode.SENDER_MISMATCH, "/sender", "the envelope names sender "
                    + message.sender() + " but the " + channel + " input is " + caller.agency() + "'s"));
            return errors;
        }
        Optional<Agency> sender = registry.get().agency(message.sender());
        MessageType type = message.type();
        if (sender.isEmpty()) {
            errors.add(ValidationError.of(ErrorCode.NOT_AUTHORIZED, "/sender", message.sender()
                    + " is not an agency of the registry"));
            return errors;
        }
        Optional<Capability> capability = Capability.toSend(type);
        if (!sender.get().maySend(type) || capability.isEmpty()) {
            errors.add(ValidationError.of(ErrorCode.NOT_AUTHORIZED, "/type", message.sender() + " may not send "
                    + type.wireName()));
        } else if (!caller.has(capability.get().role())) {
            errors.add(ValidationError.of(ErrorCode.NOT_AUTHORIZED, "/type", message.sender() + " lacks the role "
                    + capability.get().role() + " in Keycloak, needed to send " + type.wireName()));
        }
        for (int i = 0; i < message.recipients().size(); i++) {
            String code = message.recipients().get(i);
            Optional<Agency> recipient = registry.get().agency(code);
            if (recipient.isEmpty()) {
                errors.add(ValidationError.of(ErrorCode.UNKNOWN_RECIPIENT, "/recipients/" + i, code
                        + " is not an agency of the registry"));
            } else if (!recipient.get().mayReceive(type)) {
                errors.add(ValidationError.of(ErrorCode.NOT_AUTHORIZED, "/recipients/" + i, code + " may not receive "
                        + type.wireName()));
            } else if (code.equals(message.sender())) {
                errors.add(ValidationError.of(ErrorCode.NOT_AUTHORIZED, "/recipients/" + i,
                        "an agency does not send to itself through the gateway"));
            }
        }
        return errors;
    }
}
