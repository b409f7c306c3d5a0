/** Takes inputs from every channel, checks them and records them before any source is acknowledged. */
package vn.lienthong.gateway.ingress;
