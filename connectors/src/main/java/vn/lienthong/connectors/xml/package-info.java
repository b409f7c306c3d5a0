/**
 * Shared machinery of the XML profiles (customs-xml, sbv-freeze-xml): hardened parsing
 * ({@link vn.lienthong.connectors.xml.SecureXml}), declarative mapping tables between canonical JSON
 * and XML ({@link vn.lienthong.connectors.xml.XmlProfile}), and the XSD and documentation written
 * from those tables.
 */
package vn.lienthong.connectors.xml;
