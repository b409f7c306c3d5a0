/**
 * The {@code tax-csv} format of the tax authority's SFTP batches: a streamed RFC 4180 reader and
 * writer with a hashed trailer, info.response rows to canonical messages, info.request and result
 * files. Spec: {@code src/main/resources/formats/tax-csv/README.md}.
 */
package vn.lienthong.connectors.tax;
