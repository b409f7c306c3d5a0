/**
 * Attachments by claim check (schemas/README.md §4): the bytes are stored outside the message rows,
 * content-addressed by SHA-256 ({@link vn.lienthong.gateway.attachments.AttachmentStore}); an agency
 * uploads first and its message then references the upload; the ingress checks every reference; the
 * message's sender and recipients download, each download audited; deliveries carry the attachments
 * in each recipient's way (a signed, expiring link, or files beside an SFTP delivery).
 */
package vn.lienthong.gateway.attachments;
