/** Delivers recorded messages to each recipient's channel from the outbox, with retries and order. */
package vn.lienthong.gateway.dispatch;
