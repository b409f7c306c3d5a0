/**
 * The operator's seat: people (operators, auditors) of realm {@code lienthong} log in, and the
 * operator API ({@code /api/v1/admin/**}) over message tracking. Not an agency channel.
 */
package vn.lienthong.gateway.admin;
