/** Keeps every message, delivery, refused input and audit entry durably in PostgreSQL, in batches. */
package vn.lienthong.gateway.journal;
