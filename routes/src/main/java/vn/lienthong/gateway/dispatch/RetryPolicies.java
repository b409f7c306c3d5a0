package vn.lienthong.gateway.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.gateway.registry.Agency;
import vn.lienthong.gateway.registry.Registry;

/** The retry policy of deliveries to each recipient: the gateway's default, with the parts its registry entry gives. */
public final class RetryPolicies implements Function<String, RetryPolicy> {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicies.class);

    private final RetryPolicy defaults;
    private final Map<String, RetryPolicy> byRecipient;

    private RetryPolicies(RetryPolicy defaults, Map<String, RetryPolicy> byRecipient) {
        this.defaults = defaults;
        this.byRecipient = Map.copyOf(byRecipient);
    }

    /** The default for every recipient, overridden by each agency's {@code retry} of the registry. */
    public static RetryPolicies of(RetryPolicy defaults, Registry registry) {
        Objects.requireNonNull(defaults, "defaults");
        Map<String, RetryPolicy> own = new HashMap<>();
        for (Agency agency : registry.agencies()) {
            agency.retry().ifPresent(retry -> {
                RetryPolicy policy = defaults.with(retry);
                own.put(agency.code(), policy);
                LOG.info("deliveries to {} retry {}", agency.code(), policy);
            });
        }
        LOG.info("deliveries retry {} unless the registry says otherwise", defaults);
        return new RetryPolicies(defaults, own);
    }

    /** The same policy for every recipient. */
    public static RetryPolicies uniform(RetryPolicy policy) {
        return new RetryPolicies(Objects.requireNonNull(policy, "policy"), Map.of());
    }

    /** The policy of deliveries to {@code recipient}. */
    @Override
    public RetryPolicy apply(String recipient) {
        return byRecipient.getOrDefault(recipient, defaults);
    }
}
