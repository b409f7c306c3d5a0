package vn.lienthong.gateway.atrest;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bodies at rest ({@code lienthong.at-rest.*}).
 *
 * @param keyStore the PKCS12 key store of the key-encryption keys (AES)
 * @param keyStorePassword its password
 * @param keyAlias the key that wraps new data keys (blank: the store's only AES key); older ones
 *     stay in the store to unwrap the data keys they wrapped
 * @param generate the embedded default only: make the store with one key when it does not exist
 * @param rotation how long a data key seals new bodies of its scope before a new one is made
 * @param retention how long bodies are kept, per classification ({@code public}, {@code internal},
 *     {@code restricted}) and for refused inputs ({@code quarantine}); a scope not named is kept
 * @param purgeInterval how often the retention purge runs
 */
@ConfigurationProperties(prefix = "lienthong.at-rest")
public record AtRestSettings(
        @DefaultValue("") String keyStore,
        @DefaultValue("") String keyStorePassword,
        @DefaultValue("") String keyAlias,
        @DefaultValue("false") boolean generate,
        @DefaultValue("30d") Duration rotation,
        Map<String, Duration> retention,
        @DefaultValue("1h") Duration purgeInterval) {

    /** No retention named: bodies are kept. */
    public AtRestSettings {
        retention = retention == null ? Map.of() : Map.copyOf(retention);
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "AtRestSettings[keyStore=" + keyStore + ", keyAlias=" + keyAlias + ", generate=" + generate
                + ", rotation=" + rotation + ", retention=" + retention + ", purgeInterval=" + purgeInterval + "]";
    }
}
