/**
 * One connector per agency format: native bytes to and from canonical messages. The connector
 * interface and its implementations (police case JSON, customs XML, tax CSV, State Bank XML,
 * edXML) arrive with the connectors work; the core depends only on the interface.
 */
package vn.lienthong.connectors;
