package vn.lienthong.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Personal identifiers are masked in log text; ids, hashes, times and short numbers are not. */
class PersonalDataMaskTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "CCCD 001204012345 of the seller",
        "\"cccd\":\"079198001234\"",
        "taxCode=0312345678",
        "MST 0312345678-001 (branch)",
        "account 19036789012345, BIN 970436",
        "phone 0912345678",
        "phone 0912 345 678",
        "phone +84 912.345.678",
        "phone +84912345678",
        "<SoTaiKhoan>123456789</SoTaiKhoan>",
        "java.lang.IllegalStateException: subject 001204012345 unknown",
    })
    void masksIdentifiers(String line) {
        String masked = PersonalDataMask.mask(line);
        assertThat(masked).contains(PersonalDataMask.MASK).doesNotContainPattern("\\d{9,}")
                .doesNotContain("912 345 678").doesNotContain("912.345.678");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "messageId 3f2a1b4c-5d6e-4f70-8a9b-123456789012 recorded",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "2026-12-07T12:10:39.928+07:00 Kafka started in 37677 ms",
        "route ingress-sftp-PROV.37 polled 12 files, BIN 970436",
        "pool HikariPool-1 - Start completed; 16 connections",
    })
    void leavesOtherTextAlone(String line) {
        assertThat(PersonalDataMask.mask(line)).isEqualTo(line);
    }

    @Test
    void theLayoutMasksTheWholeLineIncludingTheStackTrace() {
        MaskingPatternLayout layout = new MaskingPatternLayout();
        LoggerContext context = new LoggerContext();
        layout.setContext(context);
        layout.setPattern("%msg %ex%n");
        layout.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.WARN,
                "delivery of {} failed", new IllegalArgumentException("account 19036789012345 frozen"),
                new Object[] {"CCCD 001204012345"});
        String line = layout.doLayout(event);
        assertThat(line).contains("delivery of CCCD " + PersonalDataMask.MASK + " failed")
                .doesNotContain("001204012345").doesNotContain("19036789012345");
    }
}
