package vn.lienthong.gateway.journal;

import org.springframework.context.annotation.Bean;
import vn.lienthong.gateway.registry.DeliberateViolation;

/** Test-only: the other half of the deliberate cycle, and a {@code @Bean} naming its destroy method. */
public final class DeliberateViolationPartner {

    /** Half of a cycle journal -> registry -> journal. */
    DeliberateViolation violation;

    /** A bean whose lifecycle is named by string. */
    @Bean(destroyMethod = "close")
    AutoCloseable closeable() {
        return () -> { };
    }
}
