/**
 * Reports: consolidation of the periodic reports for BCĐ 389 and the market surveillance (who has
 * reported, totals, change from the previous period, CSV/XLSX), the gateway's reminders to those
 * who have not, and the early warning built from the violation notices and takedowns carried.
 * Reads the journal's rows; writes only its own tables and, through the journal, its messages.
 */
package vn.lienthong.gateway.reports;
