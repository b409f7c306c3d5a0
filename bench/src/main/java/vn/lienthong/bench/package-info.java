/**
 * The throughput benchmark of DESIGN.md §8, a command of the gateway jar ({@code benchmark}): the
 * same persistent JMS load through a raw JMS-to-Kafka pass-through and through the whole gateway
 * (a child JVM), side by side on one embedded stack.
 */
package vn.lienthong.bench;
