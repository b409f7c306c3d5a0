package vn.lienthong.gateway.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's pattern layout with every credential ({@link SecretMask}) and personal identifier
 * ({@link PersonalDataMask}: CCCD, tax codes, account and phone numbers) masked in the whole line it
 * writes: message, arguments, MDC, exception messages and stack traces alike, whichever library
 * logged it. The gateway's {@code logback.xml} and devstack's {@code logback-devstack.xml} write
 * every appender through it.
 */
public class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return PersonalDataMask.mask(SecretMask.mask(super.doLayout(event)));
    }
}
