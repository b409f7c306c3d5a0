package vn.lienthong.gateway.workflows;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * Gauges of the cases: {@code lienthong.workflows.cases.open} and {@code
 * lienthong.workflows.cases.overdue}, tagged by kind (freeze, takedown, info) — no agency, no
 * identifier — read from the database at each scrape, so every instance reports the same.
 */
public final class WorkflowMetrics implements MeterBinder {

    private static final List<String> KINDS = List.of("freeze", "takedown", "info");

    private final JdbcCases cases;

    /** Gauges over these cases. */
    public WorkflowMetrics(JdbcCases cases) {
        this.cases = cases;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String kind : KINDS) {
            Gauge.builder("lienthong.workflows.cases.open", cases, c -> c.count(false, kind))
                    .description("Cases not closed").tag("kind", kind).register(registry);
            Gauge.builder("lienthong.workflows.cases.overdue", cases, c -> c.count(true, kind))
                    .description("Cases not closed whose answer is overdue").tag("kind", kind).register(registry);
        }
    }
}
