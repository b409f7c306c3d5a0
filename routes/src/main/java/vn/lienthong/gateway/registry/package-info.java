/** The agency registry: who takes part, what each may send and receive, and on which channels, loaded from {@code config/agencies.yaml}. */
package vn.lienthong.gateway.registry;
