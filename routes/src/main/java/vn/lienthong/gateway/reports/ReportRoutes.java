package vn.lienthong.gateway.reports;

import org.apache.camel.builder.RouteBuilder;

/** The reminder and digest sweeps on timers: every instance may run them, each message still goes once. */
public final class ReportRoutes extends RouteBuilder {

    private final ReportReminders reminders;
    private final WarningDigests digests;
    private final ReportSettings settings;

    /** The sweeps of these reminders and digests, at the settings' intervals. */
    public ReportRoutes(ReportReminders reminders, WarningDigests digests, ReportSettings settings) {
        this.reminders = reminders;
        this.digests = digests;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("timer:reports-remind?fixedRate=false&delay=0&period=" + settings.sweepInterval().toMillis())
                .routeId("reports-remind")
                .autoStartup(settings.remind())
                .bean(reminders, "sweep").id("remind");
        from("timer:reports-warn?fixedRate=false&delay=0&period=" + settings.warning().sweepInterval().toMillis())
                .routeId("reports-warn")
                .autoStartup(settings.warning().send())
                .bean(digests, "sweep").id("warn");
    }
}
