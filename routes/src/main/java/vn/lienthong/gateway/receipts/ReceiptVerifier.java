package vn.lienthong.gateway.receipts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;

/**
 * Checks a signed receipt against the gateway's published keys ({@code GET /api/v1/keys}), as a
 * sender would before relying on it: a receipt-typed compact JWS, signed by a published key with
 * that key's algorithm; or a batch receipt ({@link BatchReceipt}) whose path leads to a root signed
 * so.
 */
public final class ReceiptVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.RS256);

    private final JWKSet keys;
    private final String type;

    /** A verifier of receipts trusting these keys. */
    public ReceiptVerifier(JWKSet keys) {
        this(keys, ReceiptSigner.TYPE);
    }

    /**
     * A verifier of the gateway's JWS of another {@code typ} ({@link ReceiptSigner#NOTICE_TYPE},
     * {@link ReceiptSigner#DELIVERY_TYPE}) trusting these keys.
     */
    public ReceiptVerifier(JWKSet keys, String type) {
        this.keys = keys;
        this.type = type;
    }

    /**
     * The payload of a detached JWS ({@code header..signature}, RFC 7515 appendix F) once verified
     * over {@code payload}, the bytes it came beside (a JMS body, a Kafka value, an SFTP file).
     *
     * @throws InvalidReceiptException saying why it does not verify
     */
    public byte[] verifyDetached(String detachedJws, byte[] payload) throws InvalidReceiptException {
        String[] parts = detachedJws.trim().split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw new InvalidReceiptException("not a detached compact JWS (header..signature)");
        }
        return verify(parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(payload) + "." + parts[2]);
    }

    /**
     * The receipt JSON (the payload) of a verified receipt.
     *
     * @throws InvalidReceiptException saying why it does not verify
     */
    public byte[] verify(String compactJws) throws InvalidReceiptException {
        if (ReceiptSigner.TYPE.equals(type) && BatchReceipt.isBatchReceipt(compactJws.getBytes(StandardCharsets.UTF_8))) {
            return verifyBatchReceipt(compactJws);
        }
        return verifySigned(compactJws, type).getPayload().toBytes();
    }

    /**
     * The receipt JSON of a batch receipt ({@link BatchReceipt}): its signed root verifies with a
     * published key, and its leaf hash combined with its path gives that root.
     */
    private byte[] verifyBatchReceipt(String text) throws InvalidReceiptException {
        BatchReceipt receipt;
        byte[] root;
        try {
            receipt = BatchReceipt.parse(text.trim().getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new InvalidReceiptException("not a batch receipt: " + e.getMessage());
        }
        JWSObject signedRoot = verifySigned(receipt.rootJws(), ReceiptSigner.BATCH_TYPE);
        try {
            root = BatchReceipt.rootOfPayload(signedRoot.getPayload().toBytes());
        } catch (IllegalArgumentException e) {
            throw new InvalidReceiptException("the batch's signed root: " + e.getMessage());
        }
        if (!ReceiptTree.leadsTo(receipt.receipt(), receipt.path(), root)) {
            throw new InvalidReceiptException("the receipt and its path do not lead to the signed root:"
                    + " the receipt or its path was altered");
        }
        return receipt.receipt();
    }

    /** A compact JWS of this {@code typ}, verified with a published key. */
    private JWSObject verifySigned(String compactJws, String expectedType) throws InvalidReceiptException {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws.trim());
        } catch (ParseException e) {
            throw new InvalidReceiptException("not a compact JWS: " + e.getMessage());
        }
        JOSEObjectType type = jws.getHeader().getType();
        if (type == null || !expectedType.equals(type.getType())) {
            throw new InvalidReceiptException("not a lienthong receipt: typ is " + type + ", not " + expectedType);
        }
        JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(algorithm)) {
            throw new InvalidReceiptException("algorithm " + algorithm + " is not one receipts are signed with");
        }
        String kid = jws.getHeader().getKeyID();
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (key == null) {
            throw new InvalidReceiptException("signed with key " + kid + ", which is not among the published keys");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
            throw new InvalidReceiptException("key " + kid + " is for " + key.getAlgorithm() + ", the receipt says " + algorithm);
        }
        try {
            JWSVerifier verifier = key instanceof ECKey ec ? new ECDSAVerifier(ec)
                    : key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : null;
            if (verifier == null || !jws.verify(verifier)) {
                throw new InvalidReceiptException("the signature does not match key " + kid
                        + ": the receipt was altered or signed by another key");
            }
        } catch (JOSEException e) {
            throw new InvalidReceiptException("the signature cannot be checked with key " + kid + ": " + e.getMessage());
        }
        return jws;
    }

    /** Why a receipt does not verify. */
    public static final class InvalidReceiptException extends Exception {
        private static final long serialVersionUID = 1L;

        /** With the reason. */
        public InvalidReceiptException(String message) {
            super(message);
        }
    }
}
