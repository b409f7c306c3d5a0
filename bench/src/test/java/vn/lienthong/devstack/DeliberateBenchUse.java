package vn.lienthong.devstack;

import vn.lienthong.bench.ThroughputBenchmark;

/** Test-only: a devstack class that uses the benchmark, for the rule's test to catch. */
public final class DeliberateBenchUse {

    /** The breach. */
    ThroughputBenchmark benchmark;
}
