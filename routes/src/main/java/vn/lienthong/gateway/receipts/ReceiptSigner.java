package vn.lienthong.gateway.receipts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import vn.lienthong.schemas.validation.CanonicalJson;

/**
 * Signs receipts as compact JWS (RFC 7515) with the gateway's key: header {@code alg} (ES256 for
 * the usual P-256 key), {@code kid} (the key's RFC 7638 thumbprint, as published at
 * {@code GET /api/v1/keys}), {@code typ} {@value #TYPE}, {@code cty} {@code application/json};
 * the payload is the canonical receipt JSON, byte for byte.
 */
public final class ReceiptSigner {

    /** The JWS {@code typ} of a receipt. */
    public static final String TYPE = "lienthong-receipt+jws";
    /** The media type of a compact JWS (RFC 7515 §9.2.1): the Content-Type of receipts on JMS and Kafka. */
    public static final String MEDIA_TYPE = "application/jose";
    /** The media type of a batch receipt ({@link BatchReceipt}): one line of JSON. */
    public static final String BATCH_MEDIA_TYPE = "application/lienthong-receipt-batch+json";
    /** The HTTP response header that carries the signed receipt of {@code POST /api/v1/messages}. */
    public static final String HTTP_HEADER = "Lienthong-Receipt-Jws";
    /** The Kafka record header naming the receipt's media type. */
    public static final String KAFKA_CONTENT_TYPE_HEADER = "Content-Type";
    /** The JMS string property naming the receipt's media type (JMS property names cannot hold '-'). */
    public static final String JMS_CONTENT_TYPE_PROPERTY = "contentType";
    /**
     * The HTTP response header ({@code true}) of a submission whose messageId was already accepted
     * with the same content: the receipt is the original one, byte for byte.
     */
    public static final String HTTP_DUPLICATE_HEADER = "Lienthong-Duplicate";
    /**
     * The HTTP response header of a batch submission naming, zero-based and comma-separated, the
     * items whose receipt is the original one of an identical earlier message (absent when none is).
     */
    public static final String HTTP_DUPLICATE_ITEMS_HEADER = "Lienthong-Duplicate-Items";
    /** The JMS boolean property and Kafka record header ({@code true}) on the original receipt of a resend. */
    public static final String DUPLICATE_PROPERTY = "LienthongDuplicate";
    /**
     * The JWS {@code typ} of a notice the gateway originates ({@code deadline.overdue},
     * {@code delivery.abandoned}), signed over the bytes delivered in the recipient's format.
     */
    public static final String NOTICE_TYPE = "lienthong-notice+jws";
    /**
     * The JWS {@code typ} of a relayed message pushed to a recipient's URL ({@code Lienthong-Signature}):
     * the gateway vouches for what it delivered, over the pushed body.
     */
    public static final String DELIVERY_TYPE = "lienthong-delivery+jws";
    /**
     * The JMS string property and Kafka record header carrying a gateway notice's detached JWS
     * (RFC 7515 appendix F: {@code header..signature}, the payload being the delivered body).
     */
    public static final String NOTICE_SIGNATURE_PROPERTY = "LienthongSignature";
    /** The extension of the SFTP sidecar file beside a receipt file: one compact JWS per line. */
    public static final String SIDECAR_EXTENSION = ".jws";

    /** The JWS {@code typ} of the signed root of a batch of receipts. */
    public static final String BATCH_TYPE = "lienthong-receipt-root+jws";

    private final JWSHeader header;
    private final JWSHeader rootHeader;
    private final String encodedRootHeader;
    private final String encodedHeader;
    private final JWSSigner signer;
    private final String kid;

    /** A signer of receipts with the signing key of {@code keys}. */
    public ReceiptSigner(ReceiptKeys keys) {
        this(keys, TYPE, "application/json");
    }

    /**
     * A signer of the gateway's own notices ({@code typ} {@value #NOTICE_TYPE}, no {@code cty}: the
     * payload is the notice in whichever format its recipient takes), with the same published key.
     */
    public static ReceiptSigner forNotices(ReceiptKeys keys) {
        return new ReceiptSigner(keys, NOTICE_TYPE, null);
    }

    /** A signer of relayed messages pushed to recipients ({@code typ} {@value #DELIVERY_TYPE}, no {@code cty}). */
    public static ReceiptSigner forDeliveries(ReceiptKeys keys) {
        return new ReceiptSigner(keys, DELIVERY_TYPE, null);
    }

    private ReceiptSigner(ReceiptKeys keys, String type, String contentType) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(keys.signingPublicKey().getAlgorithm().getName());
        this.kid = keys.signingPublicKey().getKeyID();
        this.header = new JWSHeader.Builder(algorithm).keyID(kid).type(new JOSEObjectType(type))
                .contentType(contentType).build();
        this.encodedHeader = header.toBase64URL().toString();
        this.rootHeader = new JWSHeader.Builder(algorithm).keyID(kid).type(new JOSEObjectType(BATCH_TYPE))
                .contentType("application/json").build();
        this.encodedRootHeader = rootHeader.toBase64URL().toString();
        try {
            this.signer = keys.signingPublicKey() instanceof ECKey ec
                    ? new ECDSASigner(keys.signingKey(), ec.getCurve())
                    : new RSASSASigner(keys.signingKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("the receipt key " + kid + " cannot sign: " + e.getMessage(), e);
        }
    }

    /** The compact JWS of a receipt, as US-ASCII bytes; the payload is exactly {@code receiptJson}. */
    public byte[] sign(byte[] receiptJson) {
        String signingInput = encodedHeader + "." + Base64URL.encode(receiptJson);
        try {
            Base64URL signature = signer.sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
            return (signingInput + "." + signature).getBytes(StandardCharsets.US_ASCII);
        } catch (JOSEException e) {
            throw new IllegalStateException("a receipt could not be signed with key " + kid, e);
        }
    }

    /**
     * The detached compact JWS of {@code payload} (RFC 7515 appendix F): {@code header..signature},
     * verified by putting the delivered bytes back as the payload.
     */
    public String signDetached(byte[] payload) {
        String jws = new String(sign(payload), StandardCharsets.US_ASCII);
        return jws.substring(0, jws.indexOf('.')) + ".." + jws.substring(jws.lastIndexOf('.') + 1);
    }

    /**
     * The receipts of one batch, signed with one signature: each a batch receipt ({@link #BATCH_TYPE}
     * form, see {@link BatchReceipt}) carrying the receipt JSON, its audit path in the batch's
     * {@link ReceiptTree} and the compact JWS over the tree's root. A batch of one is signed as a
     * plain receipt ({@link #sign}): a tree of one would save nothing.
     */
    public List<byte[]> signBatch(List<byte[]> receiptJsons) {
        if (receiptJsons.size() == 1) {
            return List.of(sign(receiptJsons.get(0)));
        }
        ReceiptTree tree = new ReceiptTree(receiptJsons);
        byte[] rootPayload = BatchReceipt.rootPayload(tree.root(), receiptJsons.size());
        String signingInput = encodedRootHeader + "." + Base64URL.encode(rootPayload);
        String rootJws;
        try {
            rootJws = signingInput + "." + signer.sign(rootHeader, signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException("a batch of receipts could not be signed with key " + kid, e);
        }
        List<byte[]> signed = new ArrayList<>(receiptJsons.size());
        for (int i = 0; i < receiptJsons.size(); i++) {
            signed.add(BatchReceipt.write(receiptJsons.get(i), tree.path(i), rootJws));
        }
        return signed;
    }

    /** The media type of a signed receipt: {@link #MEDIA_TYPE} for a compact JWS, {@link #BATCH_MEDIA_TYPE} for a batch receipt. */
    public static String mediaType(byte[] receipt) {
        return BatchReceipt.isBatchReceipt(receipt) ? BATCH_MEDIA_TYPE : MEDIA_TYPE;
    }

    /** The kid of the signing key. */
    public String keyId() {
        return kid;
    }

    /**
     * The payload of a compact JWS (the receipt JSON), or the receipt JSON of a batch receipt,
     * without checking the signature: for
     * rendering what the gateway itself signed; a receiver verifies with the published keys.
     *
     * @throws IllegalArgumentException if {@code jws} is not a compact JWS
     */
    public static byte[] payload(byte[] jws) {
        if (BatchReceipt.isBatchReceipt(jws)) {
            return BatchReceipt.parse(jws).receipt();
        }
        int first = indexOf(jws, 0);
        int second = first < 0 ? -1 : indexOf(jws, first + 1);
        if (second < 0 || indexOf(jws, second + 1) >= 0) {
            throw new IllegalArgumentException("not a compact JWS (three dot-separated parts)");
        }
        byte[] encoded = new byte[second - first - 1];
        System.arraycopy(jws, first + 1, encoded, 0, encoded.length);
        return Base64.getUrlDecoder().decode(encoded);
    }

    /**
     * The receipt JSON of a compact JWS with {@code payload.duplicate} set to true: what a receipt
     * file (an SFTP result row, say) shows for a resend, beside the original signed receipt itself
     * (whose signature covers the original payload, which the receipt file does not claim to be).
     */
    public static byte[] duplicatePayload(byte[] jws) {
        try {
            ObjectNode receipt = (ObjectNode) CanonicalJson.mapper().readTree(payload(jws));
            receipt.with("payload").put("duplicate", true);
            return CanonicalJson.mapper().writeValueAsBytes(receipt);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("not a signed receipt message", e);
        }
    }

    /** The compact JWS of each receipt, one per line (LF), as the SFTP sidecar and REST batches carry them. */
    public static byte[] lines(List<byte[]> receipts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] jws : receipts) {
            out.writeBytes(jws);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '.') {
                return i;
            }
        }
        return -1;
    }
}
