/** Decides whether an agency may send a message: its identity on the channel and the registry's rights. */
package vn.lienthong.gateway.policy;
