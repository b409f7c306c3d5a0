package vn.lienthong.connectors.sbv;

import vn.lienthong.connectors.xml.XmlConnector;

/**
 * sbv-freeze-xml: the XML profile lienthong publishes for the State Bank (SBV, over JMS) — freeze,
 * delay and release instructions to banks ({@code YeuCauPhongToa}) and the banks' execution reports
 * ({@code BaoCaoThucHien}). See {@code formats/sbv-freeze-xml/README.md}.
 */
public final class SbvFreezeXmlConnector extends XmlConnector {

    /** The registry's name of this format. */
    public static final String FORMAT = "sbv-freeze-xml";

    /** The namespace of every element, as the bundled XSD declares it. */
    public static final String NAMESPACE = "https://schemas.lienthong.vn/sbv-freeze-xml/v1";

    /** The connector in {@link #NAMESPACE} (the one the service loader finds). */
    public SbvFreezeXmlConnector() {
        this(NAMESPACE);
    }

    /** The connector in another namespace, for a deployment that must use its own. */
    public SbvFreezeXmlConnector(String namespace) {
        super(SbvFreezeXmlProfile.create(namespace));
    }
}
