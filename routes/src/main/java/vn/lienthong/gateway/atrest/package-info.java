/**
 * Bodies at rest: message and quarantine bytes (and stored attachments, through {@link
 * vn.lienthong.gateway.atrest.BodyCipher}) sealed with AES-GCM under data keys that a
 * key-encryption key from a key store wraps, and purged after their classification's retention.
 */
package vn.lienthong.gateway.atrest;
