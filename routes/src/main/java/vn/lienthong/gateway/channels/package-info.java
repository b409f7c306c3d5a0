/** How the gateway reaches each kind of channel: endpoint options from configuration, the gateway's settings, broker-side stamps. */
package vn.lienthong.gateway.channels;
