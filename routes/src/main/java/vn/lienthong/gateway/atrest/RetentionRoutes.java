package vn.lienthong.gateway.atrest;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/** Runs the retention purge every interval, on every instance (a run finds nothing left by another's). */
public final class RetentionRoutes extends RouteBuilder {

    /** The route's id. */
    public static final String ROUTE_ID = "retention-purge";

    private final Retention retention;
    private final Duration interval;

    /** A purge by {@code retention} every {@code interval}, the first one interval after start. */
    public RetentionRoutes(Retention retention, Duration interval) {
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?period=" + interval.toMillis() + "&delay=" + interval.toMillis())
                .routeId(ROUTE_ID).routeDescription("bodies past their classification's retention purged, audited")
                .process(exchange -> retention.purge()).id("purge");
    }
}
