/** How the gateway reaches each kind of channel: endpoint options from configuration, the gateway's settings, broker-side stamps, the HTTP binding's header allow-lists. */
package vn.lienthong.gateway.channels;
