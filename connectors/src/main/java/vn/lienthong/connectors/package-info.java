/**
 * One connector per agency format: native bytes to and from canonical messages. The core knows
 * only {@link vn.lienthong.connectors.Connector}; implementations are found by format name.
 */
package vn.lienthong.connectors;
