package vn.lienthong.gateway.identity.provisioning;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;
import vn.lienthong.gateway.registry.RegistryException;

/**
 * The {@code keycloak} command: {@code sync}, {@code add <CODE>}, {@code rotate <CODE>},
 * {@code disable <CODE>}, {@code enable <CODE>} against realm {@code lienthong}, with
 * {@code --url}, {@code --admin-user}, {@code --admin-password} (or {@code LIENTHONG_KEYCLOAK_URL},
 * {@code LIENTHONG_KEYCLOAK_ADMIN_USER}, {@code LIENTHONG_KEYCLOAK_ADMIN_PASSWORD}) and
 * {@code --registry}. Exit 0 when done (for sync: and no drift), 1 when sync found drift, 2 on
 * usage or connection errors. Prints no secret except the new one of {@code rotate}, alone on stdout.
 */
public final class KeycloakCommand {

    /** The embedded default's Keycloak. */
    static final String DEFAULT_URL = "http://127.0.0.1:8180";
    static final String DEFAULT_REGISTRY = "config/agencies.yaml";

    private static final String USAGE = """
            usage: keycloak sync|add <CODE>|rotate <CODE>|disable <CODE>|enable <CODE>
                     [--url URL] [--admin-user USER] [--admin-password PASSWORD] [--registry FILE]
              sync     create the clients, roles and grants config/agencies.yaml needs; report drift (deletes nothing)
              add      create or complete one agency's client (the agency must be in the registry)
              rotate   issue a new client secret (printed alone on stdout); the old one stops working
              disable  refuse the agency's client (no new tokens; the gateway refuses it within a minute)
              enable   accept it again
              CODE is the agency's registry code (e.g. MOF.TAX) or its keycloakClient (e.g. mof-tax).
              Defaults: --url $LIENTHONG_KEYCLOAK_URL or %s, --admin-user $LIENTHONG_KEYCLOAK_ADMIN_USER
              or admin, --admin-password $LIENTHONG_KEYCLOAK_ADMIN_PASSWORD (prefer the environment:
              arguments are visible to other users of the machine), --registry %s.
            """.formatted(DEFAULT_URL, DEFAULT_REGISTRY);

    private KeycloakCommand() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        quietLibraries();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments parsed;
        try {
            parsed = Arguments.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Registry registry;
        try {
            registry = Registry.load(Path.of(parsed.registry()));
        } catch (RegistryException e) {
            err.println("the registry " + parsed.registry() + " does not load:");
            err.println(e.getMessage());
            return 2;
        }
        Agency agency = null;
        if (parsed.code() != null) {
            agency = find(registry, parsed.code()).orElse(null);
            if (agency == null) {
                err.println(parsed.code() + " is neither an agency code nor a keycloakClient in " + parsed.registry()
                        + (parsed.action().equals("add") ? ": add the agency to the registry first" : ""));
                return 2;
            }
        }
        try (KeycloakProvisioner provisioner = KeycloakProvisioner.connect(parsed.url(), parsed.adminUser(),
                parsed.adminPassword())) {
            switch (parsed.action()) {
                case "sync" -> {
                    ProvisioningReport report = provisioner.sync(registry);
                    out.print(report.describe());
                    return report.drifted() ? 1 : 0;
                }
                case "add" -> {
                    ProvisioningReport report = provisioner.addAgency(agency);
                    out.print(report.describe());
                    if (report.changes().stream().anyMatch(f -> f.kind() == ProvisioningReport.Kind.CLIENT_CREATED)) {
                        out.println("issue its secret with: keycloak rotate " + agency.code());
                    }
                    return 0;
                }
                case "rotate" -> {
                    String secret = provisioner.rotateSecret(agency.keycloakClient());
                    err.println("new secret of " + agency.keycloakClient() + " (" + agency.code()
                            + ") below; the old one no longer works. Hand it over out of band.");
                    out.println(secret);
                    return 0;
                }
                case "disable" -> {
                    provisioner.disable(agency.keycloakClient());
                    out.println(agency.keycloakClient() + " (" + agency.code() + ") disabled");
                    return 0;
                }
                case "enable" -> {
                    provisioner.enable(agency.keycloakClient());
                    out.println(agency.keycloakClient() + " (" + agency.code() + ") enabled");
                    return 0;
                }
                default -> throw new IllegalStateException(parsed.action());
            }
        } catch (WebApplicationException e) {
            err.println("Keycloak at " + parsed.url() + " refused: HTTP " + e.getResponse().getStatus() + " "
                    + e.getMessage());
            return 2;
        } catch (ProcessingException e) {
            // The admin client wraps a refused sign-in (bad admin password) in a ProcessingException.
            if (e.getCause() instanceof WebApplicationException refused) {
                err.println("Keycloak at " + parsed.url() + " refused the admin sign-in of " + parsed.adminUser()
                        + ": HTTP " + refused.getResponse().getStatus());
            } else {
                err.println("Keycloak at " + parsed.url() + " did not answer: " + rootMessage(e));
            }
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private static Optional<Agency> find(Registry registry, String codeOrClient) {
        return registry.agency(codeOrClient).or(() -> registry.agencies().stream()
                .filter(a -> a.keycloakClient().equals(codeOrClient)).findFirst());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Outside Spring nothing configures Logback, whose default prints every library's debug lines. */
    private static void quietLibraries() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** The parsed command line. */
    record Arguments(String action, String code, String url, String adminUser, String adminPassword, String registry) {

        static Arguments parse(String[] args, Map<String, String> env) {
            List<String> positional = new ArrayList<>();
            String url = env.get("LIENTHONG_KEYCLOAK_URL");
            String user = env.get("LIENTHONG_KEYCLOAK_ADMIN_USER");
            String password = env.get("LIENTHONG_KEYCLOAK_ADMIN_PASSWORD");
            String registry = DEFAULT_REGISTRY;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith("--")) {
                    String name = arg;
                    String value;
                    int eq = arg.indexOf('=');
                    if (eq > 0) {
                        name = arg.substring(0, eq);
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    switch (name) {
                        case "--url" -> url = value;
                        case "--admin-user" -> user = value;
                        case "--admin-password" -> password = value;
                        case "--registry" -> registry = value;
                        default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                } else {
                    positional.add(arg);
                }
            }
            if (positional.isEmpty()) {
                throw new IllegalArgumentException("no action given");
            }
            String action = positional.get(0);
            int wanted = switch (action) {
                case "sync" -> 1;
                case "add", "rotate", "disable", "enable" -> 2;
                default -> throw new IllegalArgumentException("unknown action " + action);
            };
            if (positional.size() != wanted) {
                throw new IllegalArgumentException(wanted == 1 ? "sync takes no agency" : action + " takes one agency code");
            }
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("no admin password: --admin-password or LIENTHONG_KEYCLOAK_ADMIN_PASSWORD");
            }
            return new Arguments(action, wanted == 2 ? positional.get(1) : null, blankTo(url, DEFAULT_URL),
                    blankTo(user, "admin"), password, registry);
        }

        private static String blankTo(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value;
        }

        /** The password is masked. */
        @Override
        public String toString() {
            return "Arguments[" + action + " " + code + ", url=" + url + ", adminUser=" + adminUser + ", registry="
                    + registry + "]";
        }
    }
}
