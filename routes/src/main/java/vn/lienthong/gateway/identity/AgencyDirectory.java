package vn.lienthong.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Keycloak says now about each agency's client: whether it is enabled, and the realm roles of
 * its service account. Read from the admin REST API with the gateway's own client credentials,
 * again every refresh interval on a background thread, so that a client disabled in Keycloak is
 * refused on every channel within the revocation bound even while its earlier tokens still verify.
 *
 * <p>When Keycloak has not answered for longer than {@link #maxAge()}, {@link #client(String)}
 * throws {@link IdentityUnavailableException}: the gateway cannot tell who is still enabled, and
 * channels retry rather than refuse.
 */
public final class AgencyDirectory implements AutoCloseable {

    /** Disabling an agency takes effect on every channel within this bound. */
    public static final Duration REVOCATION_BOUND = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(AgencyDirectory.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What Keycloak says about one client. */
    public record ClientState(String clientId, boolean enabled, Set<String> roles) {
        public ClientState {
            Objects.requireNonNull(clientId, "clientId");
            roles = Set.copyOf(roles);
        }
    }

    private record Snapshot(Map<String, ClientState> clients, Instant at) {
    }

    private final RealmAdminReader admin;
    private volatile Set<String> watched;
    private final Duration refresh;
    private final Duration maxAge;
    private final Clock clock;
    /** Service-account user id per client's internal id: it never changes for a client. */
    private final Map<String, String> serviceAccounts = new HashMap<>();

    private volatile Snapshot snapshot;
    private volatile boolean failing;
    private final List<Consumer<Boolean>> availabilityListeners = new CopyOnWriteArrayList<>();
    /** The availability last told to the listeners; null before the first refresh. */
    private Boolean toldAvailable;
    private ScheduledExecutorService scheduler;

    /**
     * A directory of these clients.
     *
     * @param adminUrl Keycloak's base URL (the admin API is under {@code /admin/realms/<realm>})
     * @param realm the realm
     * @param tokens the realm's token endpoint
     * @param gatewayClientId the gateway's own client, allowed to view clients and users
     * @param gatewayClientSecret its secret
     * @param clientIds the agencies' client ids to follow
     * @param refresh how often to ask again; at most half the revocation bound
     */
    public AgencyDirectory(String adminUrl, String realm, TokenEndpoint tokens, String gatewayClientId,
            String gatewayClientSecret, Collection<String> clientIds, Duration refresh, HttpClient http, Clock clock) {
        this.admin = new RealmAdminReader(adminUrl, realm, tokens, gatewayClientId, gatewayClientSecret, http, clock);
        this.watched = Set.copyOf(clientIds);
        if (refresh.isNegative() || refresh.isZero() || refresh.multipliedBy(2).compareTo(REVOCATION_BOUND) > 0) {
            throw new IllegalArgumentException("lienthong.identity.directory-refresh must be more than 0 and at most "
                    + REVOCATION_BOUND.dividedBy(2).toSeconds() + "s (a disabled agency is refused within "
                    + REVOCATION_BOUND.toSeconds() + "s), not " + refresh);
        }
        this.refresh = refresh;
        // An answer stands while a client disabled just after it would still be refused within the
        // bound: the next successful refresh comes at most one interval after the answer expires.
        this.maxAge = REVOCATION_BOUND.minus(refresh);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Calls {@code listener} with {@link #available()} now and whenever it changes (checked after
     * each refresh), on the directory's thread.
     */
    public synchronized void onAvailability(Consumer<Boolean> listener) {
        availabilityListeners.add(listener);
        boolean now = available();
        if (toldAvailable == null) {
            toldAvailable = now;
        }
        listener.accept(now);
    }

    /** Reads Keycloak once (a failure is logged, not thrown: Keycloak may come up later), then every interval. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "agency-directory");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** How old the last answer may be before the directory counts as unavailable. */
    public Duration maxAge() {
        return maxAge;
    }

    /** When Keycloak last answered, if ever. */
    public Optional<Instant> refreshedAt() {
        Snapshot s = snapshot;
        return s == null ? Optional.empty() : Optional.of(s.at());
    }

    /** Whether the last answer is recent enough to decide on. */
    public boolean available() {
        Snapshot s = snapshot;
        return s != null && !clock.instant().isAfter(s.at().plus(maxAge));
    }

    /**
     * What Keycloak says about a client; empty when the realm has no such client.
     *
     * @throws IdentityUnavailableException when Keycloak has not answered within {@link #maxAge()}
     */
    public Optional<ClientState> client(String clientId) {
        Snapshot s = snapshot;
        if (s == null || clock.instant().isAfter(s.at().plus(maxAge))) {
            throw new IdentityUnavailableException("Keycloak has not told the gateway which agencies are enabled "
                    + (s == null ? "since it started" : "since " + s.at()) + "; inputs wait until it answers", null);
        }
        return Optional.ofNullable(s.clients().get(clientId));
    }

    /** Asks Keycloak now; returns whether it answered. Called by the scheduler. */
    public synchronized boolean refresh() {
        try {
            Instant started = clock.instant();
            Map<String, ClientState> clients = read();
            snapshot = new Snapshot(Map.copyOf(clients), started);
            if (failing) {
                LOG.info("Keycloak answers again: {} agency clients read", clients.size());
            }
            failing = false;
            return true;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read the agencies' clients from Keycloak ({}); the last answer stands until {}",
                        e.toString(), snapshot == null ? "(none yet)" : snapshot.at().plus(maxAge));
            }
            failing = true;
            admin.forgetToken();
            return false;
        } finally {
            tellAvailability();
        }
    }

    private void tellAvailability() {
        boolean now = available();
        if (toldAvailable == null || toldAvailable != now) {
            if (!now) {
                LOG.warn("Keycloak has not answered since {}: agencies' inputs wait until it does",
                        snapshot == null ? "the gateway started" : snapshot.at());
            }
            toldAvailable = now;
            for (Consumer<Boolean> listener : availabilityListeners) {
                try {
                    listener.accept(now);
                } catch (RuntimeException e) {
                    LOG.warn("a listener of the directory's availability failed", e);
                }
            }
        }
    }

    private Map<String, ClientState> read() throws IOException {
        Map<String, ClientState> result = new HashMap<>();
        for (JsonNode client : get("clients?first=0&max=100000")) {
            String clientId = client.path("clientId").asText();
            if (!watched.contains(clientId)) {
                continue;
            }
            boolean enabled = client.path("enabled").asBoolean(false);
            Set<String> roles = enabled ? serviceAccountRoles(client.path("id").asText()) : Set.of();
            result.put(clientId, new ClientState(clientId, enabled, roles));
        }
        return result;
    }

    private Set<String> serviceAccountRoles(String internalId) throws IOException {
        String user = serviceAccounts.get(internalId);
        if (user == null) {
            JsonNode account = get("clients/" + RealmAdminReader.encode(internalId) + "/service-account-user");
            user = account.path("id").asText("");
            if (user.isEmpty()) {
                return Set.of();
            }
            serviceAccounts.put(internalId, user);
        }
        Set<String> roles = new TreeSet<>();
        for (JsonNode role : get("users/" + RealmAdminReader.encode(user) + "/role-mappings/realm/composite")) {
            roles.add(role.path("name").asText());
        }
        return roles;
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> response = admin.get(path);
        if (response.statusCode() != 200) {
            throw new IOException("GET " + admin.pathOf(path) + " answered " + response.statusCode());
        }
        return MAPPER.readTree(response.body());
    }

    /** The realm named by an issuer URL ({@code <base>/realms/<realm>}). */
    public static String realmOf(String issuer) {
        String trimmed = trimSlash(issuer);
        int at = trimmed.lastIndexOf("/realms/");
        if (at < 0) {
            throw new IllegalArgumentException("the issuer " + issuer + " is not a Keycloak realm URL (<base>/realms/<realm>)");
        }
        return trimmed.substring(at + "/realms/".length());
    }

    /** Keycloak's base URL for an issuer URL. */
    public static String baseOf(String issuer) {
        String trimmed = trimSlash(issuer);
        int at = trimmed.lastIndexOf("/realms/");
        return at < 0 ? trimmed : trimmed.substring(0, at);
    }

    private static String trimSlash(String url) {
        Objects.requireNonNull(url, "url");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** For messages: the clients followed. */
    /**
     * Follows these clients from now on (a reloaded registry's agencies) and asks Keycloak at once,
     * so that a new agency's client is known before its first call.
     */
    public void watch(Collection<String> clientIds) {
        this.watched = Set.copyOf(clientIds);
        refresh();
    }

    List<String> watched() {
        return watched.stream().sorted().toList();
    }
}
