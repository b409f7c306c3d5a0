package vn.lienthong.gateway.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.LiveRegistry;
import vn.lienthong.gateway.registry.Registry;

/** The retry policy of deliveries to each recipient: the gateway's default, with the parts its registry entry gives. */
public final class RetryPolicies implements Function<String, RetryPolicy> {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicies.class);

    private final RetryPolicy defaults;
    private final Supplier<Map<String, RetryPolicy>> byRecipient;

    private RetryPolicies(RetryPolicy defaults, Supplier<Map<String, RetryPolicy>> byRecipient) {
        this.defaults = defaults;
        this.byRecipient = byRecipient;
    }

    /** The default for every recipient, overridden by each agency's {@code retry} of the registry. */
    public static RetryPolicies of(RetryPolicy defaults, Registry registry) {
        Map<String, RetryPolicy> own = own(Objects.requireNonNull(defaults, "defaults"), registry);
        return new RetryPolicies(defaults, () -> own);
    }

    /**
     * The same over the registry in force: the policies are made again when a reload replaces it, so
     * a new agency's {@code retry} and a changed one apply to the next failure, without a restart.
     */
    public static RetryPolicies following(RetryPolicy defaults, LiveRegistry registry) {
        Objects.requireNonNull(defaults, "defaults");
        return new RetryPolicies(defaults, registry.derived(r -> own(defaults, r)));
    }

    private static Map<String, RetryPolicy> own(RetryPolicy defaults, Registry registry) {
        Map<String, RetryPolicy> own = new HashMap<>();
        for (Agency agency : registry.agencies()) {
            agency.retry().ifPresent(retry -> {
                RetryPolicy policy;
                try {
                    policy = defaults.with(retry);
                } catch (IllegalArgumentException e) {
                    // The parts it gives are fine alone; with the gateway's defaults they are not.
                    throw new IllegalArgumentException(agency.code() + ": its retry, completed by the gateway's"
                            + " lienthong.dispatch.* defaults, is not a usable policy: " + e.getMessage(), e);
                }
                own.put(agency.code(), policy);
                LOG.info("deliveries to {} retry {}", agency.code(), policy);
            });
        }
        LOG.info("deliveries retry {} unless the registry says otherwise", defaults);
        return Map.copyOf(own);
    }

    /** The same policy for every recipient. */
    public static RetryPolicies uniform(RetryPolicy policy) {
        return new RetryPolicies(Objects.requireNonNull(policy, "policy"), Map::of);
    }

    /** The policy of deliveries to {@code recipient}. */
    @Override
    public RetryPolicy apply(String recipient) {
        return byRecipient.get().getOrDefault(recipient, defaults);
    }
}
