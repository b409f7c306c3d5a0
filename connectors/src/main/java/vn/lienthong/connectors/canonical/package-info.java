/** The canonical JSON format, passed through unchanged. */
package vn.lienthong.connectors.canonical;
