/** The hash-chained audit log: every state change appended, each entry's hash covering the previous, and its verification. */
package vn.lienthong.gateway.audit;
