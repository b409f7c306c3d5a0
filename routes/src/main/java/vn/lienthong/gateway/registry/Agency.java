package vn.lienthong.gateway.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import vn.lienthong.schemas.MessageType;

/**
 * A participant of the exchange: its code, names, identities, what it may send and receive, and
 * the channels it is connected by.
 *
 * @param code           registry code, e.g. {@code MOF.CUSTOMS} or {@code PROV.37}
 * @param organId        QCVN 102:2016 organ id, where known
 * @param keycloakClient client id in realm {@code lienthong}, also the SFTP login
 * @param retry          its own retry policy for deliveries to it, where it differs from the gateway's
 */
public record Agency(
        String code,
        AgencyName name,
        Optional<String> organId,
        String keycloakClient,
        Set<MessageType> sends,
        Set<MessageType> receives,
        List<Channel> channels,
        Optional<Retry> retry) {

    /** An agency with the gateway's retry policy. */
    public Agency(String code, AgencyName name, Optional<String> organId, String keycloakClient,
            Set<MessageType> sends, Set<MessageType> receives, List<Channel> channels) {
        this(code, name, organId, keycloakClient, sends, receives, channels, Optional.empty());
    }

    /** Checks the shapes and copies the collections, so an agency never changes once loaded. */
    public Agency {
        Names.require(code, Names.AGENCY_CODE, "agency code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(organId, "organId");
        organId.ifPresent(Names::requireOrganId);
        Names.require(keycloakClient, Names.KEYCLOAK_CLIENT, "keycloakClient");
        sends = enumSet(sends);
        receives = enumSet(receives);
        if (sends.contains(MessageType.RECEIPT)) {
            throw new IllegalArgumentException(code + ": receipts are issued by the gateway, no agency sends them");
        }
        if (sends.contains(MessageType.DEADLINE_OVERDUE)) {
            throw new IllegalArgumentException(code + ": deadline notices are the gateway's, no agency sends them");
        }
        if (sends.contains(MessageType.DELIVERY_ABANDONED)) {
            throw new IllegalArgumentException(code + ": abandon notices are the gateway's, no agency sends them");
        }
        channels = List.copyOf(channels);
        Objects.requireNonNull(retry, "retry");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException(code + ": an agency needs at least one channel");
        }
    }

    /** Whether this agency may send messages of this type. */
    public boolean maySend(MessageType type) {
        return sends.contains(type);
    }

    /** Whether this agency may receive messages of this type. */
    public boolean mayReceive(MessageType type) {
        return receives.contains(type);
    }

    /**
     * The channel a message of this type is delivered on: the first, in registry order, whose format
     * carries the type (the registry refuses an agency receiving a type none of its channels carry).
     */
    public Channel deliveryChannel(MessageType type) {
        return channels.stream().filter(c -> c.format().carries(type)).findFirst().orElse(channels.get(0));
    }

    /** Its channels of one kind, in registry order. */
    public List<Channel> channels(ChannelKind kind) {
        return channels.stream().filter(c -> c.kind() == kind).toList();
    }

    /** The two-digit province code of a {@code PROV.xx} agency. */
    public Optional<String> provinceCode() {
        Matcher m = Names.PROVINCE_CODE.matcher(code);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    // EnumSet keeps wire order and constant-time lookups; the wrapper keeps it read-only.
    private static Set<MessageType> enumSet(Collection<MessageType> types) {
        EnumSet<MessageType> set = EnumSet.noneOf(MessageType.class);
        set.addAll(types);
        return Collections.unmodifiableSet(set);
    }
}
