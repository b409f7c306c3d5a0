package vn.lienthong.gateway.reports;

import vn.lienthong.gateway.inbox.Inbox;

/** Test-only: reports reaching into a delivery path, so ArchitectureTest can see the rule catch it. */
public final class DeliberateReportsViolation {

    Inbox inbox;

    private DeliberateReportsViolation() {
    }
}
