package vn.lienthong.gateway.registry;

import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.ingress.IngressPipeline;
import vn.lienthong.gateway.journal.DeliberateViolationPartner;

/** Test-only: breaks every package rule once, so that each rule's test shows the rule catching it. */
public final class DeliberateViolation {

    /** A registry class that uses the ingress (the core must not know channels). */
    IngressPipeline pipeline;
    /** A registry class that uses the composition root. */
    GatewayApplication application;
    /** Half of a cycle registry -> journal -> registry. */
    DeliberateViolationPartner partner;
}
