/** What every log line goes through before it is written: credentials and personal identifiers masked, whichever library wrote it. */
package vn.lienthong.gateway.logging;
