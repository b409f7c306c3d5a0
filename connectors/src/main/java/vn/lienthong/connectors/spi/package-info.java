/**
 * The connector interface, as Domibus's plugin API: {@link vn.lienthong.connectors.spi.Connector} and its
 * value types, and their lookup by format name; the core knows only this package, implementations
 * are found by {@link java.util.ServiceLoader}.
 */
package vn.lienthong.connectors.spi;
