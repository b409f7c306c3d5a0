/**
 * What operators watch: counters, latency and backlog for Prometheus, read from the journal and
 * its audit log (so they say what was committed), with agency codes, message types and channels
 * as the only label values — never a personal identifier.
 */
package vn.lienthong.gateway.monitoring;
