/**
 * The {@code edxml} format: QCVN 102:2016 edXML documents carrying a canonical message as their
 * {@code lienthong-message.json} attachment, and provinces' plain documents read as violation
 * notices, with a hardened XML parser and their XML signatures verified against configured signer
 * certificates. Profile:
 * {@code src/main/resources/formats/edxml/README.md} and {@code edxml-lienthong.xsd}.
 */
package vn.lienthong.connectors.edxml;
