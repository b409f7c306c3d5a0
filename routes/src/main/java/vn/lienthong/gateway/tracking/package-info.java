/** What became of a message, as its sender or a recipient may see it: status and each delivery. */
package vn.lienthong.gateway.tracking;
