/** Tells each sender what became of its input: a receipt, ACCEPTED or REJECTED with every error. */
package vn.lienthong.gateway.receipts;
