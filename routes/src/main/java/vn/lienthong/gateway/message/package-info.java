/** The value types of one message's trip through the gateway: where it came in and each delivery planned for it. */
package vn.lienthong.gateway.message;
