/** The inbox of agencies that pull: their undelivered messages over REST, and their acknowledgements. */
package vn.lienthong.gateway.inbox;
