package vn.lienthong.gateway.reports;

import org.apache.camel.builder.RouteBuilder;

/** The reminder sweep on a timer: every instance may run it, each reminder still goes once. */
public final class ReportRoutes extends RouteBuilder {

    private final ReportReminders reminders;
    private final ReportSettings settings;

    /** The sweep of these reminders, at the settings' interval. */
    public ReportRoutes(ReportReminders reminders, ReportSettings settings) {
        this.reminders = reminders;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("timer:reports-remind?fixedRate=false&delay=0&period=" + settings.sweepInterval().toMillis())
                .routeId("reports-remind")
                .autoStartup(settings.remind())
                .bean(reminders, "sweep").id("remind");
    }
}
