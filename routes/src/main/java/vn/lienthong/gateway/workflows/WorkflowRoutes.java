package vn.lienthong.gateway.workflows;

import org.apache.camel.builder.RouteBuilder;

/** The deadline sweep on a timer: every instance may run it, each notice still goes once. */
public final class WorkflowRoutes extends RouteBuilder {

    private final Escalations escalations;
    private final WorkflowSettings settings;

    /** The sweep of these escalations, at the settings' interval. */
    public WorkflowRoutes(Escalations escalations, WorkflowSettings settings) {
        this.escalations = escalations;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("timer:workflows-sweep?fixedRate=false&delay=0&period=" + settings.sweepInterval().toMillis())
                .routeId("workflows-sweep")
                .autoStartup(settings.sweep())
                .bean(escalations, "sweep").id("escalate");
    }
}
