/**
 * Tells each sender what became of its input: a receipt, ACCEPTED or REJECTED with every error,
 * signed by the gateway so that the sender can prove what was accepted and when.
 *
 * <p>A receipt is a canonical {@code receipt} message (JSON, from sender {@code GATEWAY}) carried
 * as a compact JWS: {@code alg} ES256 (or RS256 for an RSA key), {@code kid} the RFC 7638
 * thumbprint of the key, {@code typ} {@code lienthong-receipt+jws}, {@code cty}
 * {@code application/json}, payload the receipt JSON byte for byte. The journal keeps the JWS, so a
 * duplicate gets the very same bytes. Anyone verifies it with the keys published, without
 * authentication, at {@code GET /api/v1/keys} (JWKS), which lists every key of the key store, so
 * receipts signed before a key rollover still verify; only the configured alias signs.
 *
 * <p>On the channels: JMS and Kafka carry the JWS as the message (content type
 * {@code application/jose}); REST answers with the receipt JSON and the JWS in the
 * {@code Lienthong-Receipt-Jws} header; SFTP writes the receipt file in the channel's format and a
 * sidecar {@code <receipt file>.jws} with one JWS per line.
 */
package vn.lienthong.gateway.receipts;
