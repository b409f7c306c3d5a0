package vn.lienthong.connectors.edxml;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.URIDereferencer;
import javax.xml.crypto.URIReferenceException;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.lienthong.connectors.spi.Decoded;

/**
 * Verifies the enveloped XML-DSig signature of an edXML document, when it has one: the whole
 * document signed (one reference, {@code URI=""}, nothing outside it fetched), RSA-SHA256 or
 * ECDSA-SHA256 over SHA-256 digests (SHA-1 and the rest refused), canonicalization and the
 * enveloped-signature transform only, secure validation on, and the signer's certificate one of
 * those configured for the document's sender and valid now. README §7.
 */
final class SignatureCheck {

    /** The accepted signature methods, by URI, with the name said in errors. */
    static final Map<String, String> SIGNATURE_METHODS = Map.of(
            SignatureMethod.RSA_SHA256, "RSA-SHA256",
            SignatureMethod.ECDSA_SHA256, "ECDSA-SHA256");

    static final Set<String> CANONICALIZATIONS = Set.of(CanonicalizationMethod.INCLUSIVE,
            CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS, CanonicalizationMethod.EXCLUSIVE,
            CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS);

    private static final XMLSignatureFactory FACTORY = XMLSignatureFactory.getInstance("DOM");

    /** The result of a check: the item's signature status, or where and why it is refused. */
    record Outcome(Decoded.Signature signature, String refusedAt, String refusal) {
        static Outcome ok(Decoded.Signature s) {
            return new Outcome(s, null, null);
        }

        static Outcome refused(String at, String why) {
            return new Outcome(null, at, why);
        }

        boolean isRefused() {
            return refusal != null;
        }
    }

    private final SignerTrust trust;
    private final Clock clock;

    SignatureCheck(SignerTrust trust, Clock clock) {
        this.trust = trust;
        this.clock = clock;
    }

    /** Checks the document's signature against the certificates of its sender. */
    Outcome check(Document document, String sender) {
        NodeList found = document.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        if (found.getLength() == 0) {
            return Outcome.ok(Decoded.Signature.UNSIGNED);
        }
        Element element = (Element) found.item(0);
        String at = Dom.xpath(element);
        if (found.getLength() > 1) {
            return Outcome.refused(Dom.xpath((Element) found.item(1)), found.getLength()
                    + " XML signatures; one enveloped signature over the whole document is expected");
        }
        // The policy is checked on the elements first: secure validation would refuse some of it
        // while reading, in words that do not say where.
        Outcome policy = policy(element, at);
        if (policy != null) {
            return policy;
        }
        Selector selector = new Selector(sender);
        DOMValidateContext context = new DOMValidateContext(selector, element);
        context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        context.setURIDereferencer(new SameDocumentOnly(FACTORY.getURIDereferencer()));
        XMLSignature signature;
        try {
            signature = FACTORY.unmarshalXMLSignature(context);
        } catch (MarshalException e) {
            return Outcome.refused(at, "the XML signature cannot be read: " + rootMessage(e));
        }
        @SuppressWarnings("unchecked")
        Reference reference = ((List<Reference>) signature.getSignedInfo().getReferences()).get(0);
        try {
            if (signature.validate(context)) {
                X509Certificate signer = selector.signer;
                return Outcome.ok(Decoded.Signature.verified(sender, signer.getSubjectX500Principal().getName(),
                        fingerprint(signer)));
            }
        } catch (XMLSignatureException e) {
            if (selector.refusal != null) {
                return Outcome.refused(at + "/KeyInfo", selector.refusal);
            }
            return Outcome.refused(at, "the XML signature cannot be verified: " + rootMessage(e));
        }
        try {
            if (!reference.validate(context)) {
                return Outcome.refused(at + "/SignedInfo/Reference/DigestValue", "the document was changed after it"
                        + " was signed: the SHA-256 digest of the document does not match the signed one");
            }
        } catch (XMLSignatureException e) {
            return Outcome.refused(at + "/SignedInfo/Reference", "the signed document cannot be digested: "
                    + rootMessage(e));
        }
        return Outcome.refused(at + "/SignatureValue", "the SignatureValue does not verify with the key of the signer"
                + " certificate");
    }

    /** The algorithms and the reference, as the elements state them; null when they are acceptable. */
    private static Outcome policy(Element signature, String at) {
        Element info = dsig(signature, "SignedInfo");
        if (info == null) {
            return Outcome.refused(at, "SignedInfo is missing");
        }
        Element c14n = dsig(info, "CanonicalizationMethod");
        String c14nAlgorithm = c14n == null ? "(none)" : c14n.getAttribute("Algorithm");
        if (!CANONICALIZATIONS.contains(c14nAlgorithm)) {
            return Outcome.refused(at + "/SignedInfo/CanonicalizationMethod", "CanonicalizationMethod " + c14nAlgorithm
                    + " is not accepted; inclusive or exclusive XML canonicalization 1.0");
        }
        Element method = dsig(info, "SignatureMethod");
        String methodAlgorithm = method == null ? "(none)" : method.getAttribute("Algorithm");
        if (!SIGNATURE_METHODS.containsKey(methodAlgorithm)) {
            return Outcome.refused(at + "/SignedInfo/SignatureMethod", "SignatureMethod " + methodAlgorithm
                    + " is not accepted; RSA-SHA256 or ECDSA-SHA256 (SHA-1 and others are refused)");
        }
        List<Element> references = new ArrayList<>();
        for (org.w3c.dom.Node n = info.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Reference".equals(e.getLocalName()) && XMLSignature.XMLNS.equals(e.getNamespaceURI())) {
                references.add(e);
            }
        }
        if (references.size() != 1) {
            return Outcome.refused(at + "/SignedInfo", references.size() + " references; exactly one, URI=\"\""
                    + " (the whole document), is expected");
        }
        Element reference = references.get(0);
        if (!reference.hasAttribute("URI") || !reference.getAttribute("URI").isEmpty()) {
            return Outcome.refused(at + "/SignedInfo/Reference", "Reference URI " + (reference.hasAttribute("URI")
                    ? "'" + shown(reference.getAttribute("URI")) + "'" : "(none)") + " is not accepted: only URI=\"\""
                    + " (the whole document) is, so that no part of the document is unsigned and nothing outside it"
                    + " is fetched");
        }
        Element digest = dsig(reference, "DigestMethod");
        String digestAlgorithm = digest == null ? "(none)" : digest.getAttribute("Algorithm");
        if (!DigestMethod.SHA256.equals(digestAlgorithm)) {
            return Outcome.refused(at + "/SignedInfo/Reference/DigestMethod", "DigestMethod " + digestAlgorithm
                    + " is not accepted; SHA-256 (SHA-1 and others are refused)");
        }
        Element transforms = dsig(reference, "Transforms");
        boolean enveloped = false;
        if (transforms != null) {
            for (org.w3c.dom.Node n = transforms.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element t)) {
                    continue;
                }
                String algorithm = t.getAttribute("Algorithm");
                if (Transform.ENVELOPED.equals(algorithm)) {
                    enveloped = true;
                } else if (!CANONICALIZATIONS.contains(algorithm) || hasElements(t)
                        && !CanonicalizationMethod.EXCLUSIVE.equals(algorithm)
                        && !CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS.equals(algorithm)) {
                    // Only exclusive canonicalization takes a parameter (InclusiveNamespaces); no XPath, no XSLT.
                    return Outcome.refused(at + "/SignedInfo/Reference/Transforms", "Transform " + algorithm
                            + " is not accepted; the enveloped-signature transform and canonicalization only");
                }
            }
        }
        if (!enveloped) {
            return Outcome.refused(at + "/SignedInfo/Reference/Transforms",
                    "the enveloped-signature transform is missing: the signature must be enveloped in the document");
        }
        return null;
    }

    private static boolean hasElements(Element e) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                return true;
            }
        }
        return false;
    }

    private static Element dsig(Element parent, String localName) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && XMLSignature.XMLNS.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String shown(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signer's key: from a KeyInfo certificate that is one configured for the sender, valid now. */
    private final class Selector extends KeySelector {
        private final String sender;
        private X509Certificate signer;
        private String refusal;

        Selector(String sender) {
            this.sender = sender;
        }

        @Override
        public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method,
                XMLCryptoContext context) throws KeySelectorException {
            List<X509Certificate> given = new ArrayList<>();
            if (keyInfo != null) {
                for (Object o : keyInfo.getContent()) {
                    if (o instanceof X509Data data) {
                        for (Object c : data.getContent()) {
                            if (c instanceof X509Certificate x) {
                                given.add(x);
                            }
                        }
                    }
                }
            }
            if (given.isEmpty()) {
                throw fail("KeyInfo carries no X509Certificate: the signer is identified by its certificate");
            }
            List<X509Certificate> trusted = trust.certificates(sender);
            if (trusted.isEmpty()) {
                throw fail("no signer certificate is configured for " + sender + ": its signed documents cannot be"
                        + " verified (configure its certificates, or it sends unsigned documents)");
            }
            for (X509Certificate c : given) {
                if (trusted.contains(c)) {
                    try {
                        c.checkValidity(Date.from(clock.instant()));
                    } catch (CertificateExpiredException e) {
                        throw fail("the signer certificate of " + sender + " expired on " + c.getNotAfter().toInstant());
                    } catch (CertificateNotYetValidException e) {
                        throw fail("the signer certificate of " + sender + " is valid only from "
                                + c.getNotBefore().toInstant());
                    }
                    PublicKey key = c.getPublicKey();
                    String algorithm = method.getAlgorithm();
                    boolean fits = SignatureMethod.RSA_SHA256.equals(algorithm) ? key.getAlgorithm().equals("RSA")
                            : key.getAlgorithm().equals("EC");
                    if (!fits) {
                        throw fail("the signer certificate's key is " + key.getAlgorithm() + ", which does not sign "
                                + SIGNATURE_METHODS.getOrDefault(algorithm, algorithm));
                    }
                    signer = c;
                    return () -> key;
                }
            }
            X509Certificate first = given.get(0);
            throw fail("the signer certificate (" + first.getSubjectX500Principal().getName() + ", SHA-256 "
                    + fingerprint(first) + ") is not one configured for " + sender);
        }

        private KeySelectorException fail(String message) {
            refusal = message;
            return new KeySelectorException(message);
        }
    }

    /** Dereferences only the document itself: an external or other reference is never fetched. */
    private record SameDocumentOnly(URIDereferencer delegate) implements URIDereferencer {
        @Override
        public javax.xml.crypto.Data dereference(javax.xml.crypto.URIReference reference, XMLCryptoContext context)
                throws URIReferenceException {
            if (reference.getURI() != null && reference.getURI().isEmpty()) {
                return delegate.dereference(reference, context);
            }
            throw new URIReferenceException("only the whole document (URI=\"\") is dereferenced");
        }
    }
}
