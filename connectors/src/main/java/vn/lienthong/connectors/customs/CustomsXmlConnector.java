package vn.lienthong.connectors.customs;

import vn.lienthong.connectors.xml.XmlConnector;

/**
 * customs-xml: the XML profile lienthong publishes for the customs systems (MOF.CUSTOMS, over JMS) —
 * seizure and violation notices ({@code ThongBaoViPham}), declaration look-ups ({@code YeuCauTraCuu})
 * and their answers ({@code KetQuaTraCuu}). See {@code formats/customs-xml/README.md}.
 */
public final class CustomsXmlConnector extends XmlConnector {

    /** The registry's name of this format. */
    public static final String FORMAT = "customs-xml";

    /** The namespace of every element, as the bundled XSD declares it. */
    public static final String NAMESPACE = "https://schemas.lienthong.vn/customs-xml/v1";

    /** The connector in {@link #NAMESPACE} (the one the service loader finds). */
    public CustomsXmlConnector() {
        this(NAMESPACE);
    }

    /** The connector in another namespace, for a deployment that must use its own. */
    public CustomsXmlConnector(String namespace) {
        super(CustomsXmlProfile.create(namespace));
    }
}
