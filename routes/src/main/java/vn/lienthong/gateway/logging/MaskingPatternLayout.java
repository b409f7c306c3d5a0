package vn.lienthong.gateway.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's pattern layout with every credential masked ({@link SecretMask}) in the whole line it
 * writes: message, arguments, MDC, exception messages and stack traces alike, whichever library
 * logged it. The gateway's {@code logback.xml} writes every appender through it.
 */
public class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return SecretMask.mask(super.doLayout(event));
    }
}
