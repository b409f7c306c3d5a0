/**
 * Shared machinery of the XML profiles (customs-xml, sbv-freeze-xml): hardened parser
 * factories for every XML format ({@link vn.lienthong.connectors.xml.HardenedXml}, edXML's too), the
 * profiles' streaming parser ({@link vn.lienthong.connectors.xml.XmlProfileParser}), declarative mapping tables between canonical JSON
 * and XML ({@link vn.lienthong.connectors.xml.XmlProfile}), and the XSD and documentation written
 * from those tables.
 */
package vn.lienthong.connectors.xml;
