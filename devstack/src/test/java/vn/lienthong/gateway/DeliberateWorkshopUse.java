package vn.lienthong.gateway;

import vn.lienthong.devstack.EmbeddedStack;

/** Test-only: a class in the gateway's packages that uses the devstack, for the rule's test to catch. */
public final class DeliberateWorkshopUse {

    /** The breach. */
    EmbeddedStack stack;
}
