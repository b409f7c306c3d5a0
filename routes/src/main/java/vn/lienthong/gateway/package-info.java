/** The lienthong gateway application: wires the registry, connectors and the Camel routes. */
package vn.lienthong.gateway;
