package vn.lienthong.gateway.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shapes of the registry's names and addresses, shared by the loader (which reports a problem
 * with a line) and the records (which refuse to exist with a bad value).
 */
final class Names {

    static final Pattern AGENCY_CODE = Pattern.compile("^[A-Z][A-Z0-9]*(\\.[A-Z0-9]+)*$");
    static final String PROVINCE_PREFIX = "PROV.";
    static final Pattern PROVINCE_CODE = Pattern.compile("^PROV\\.([0-9]{2})$");
    static final Pattern FORMAT_NAME = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    static final Pattern MEDIA_TYPE = Pattern.compile("^[a-z]+/[a-z0-9][a-z0-9.+-]*$");
    // Also the SFTP login, so nothing a shell or a path could misread.
    static final Pattern KEYCLOAK_CLIENT = Pattern.compile("^[a-z0-9]+([._-][a-z0-9]+)*$");
    // QCVN 102:2016 as amended in 2022: dotted segments, at most 35 characters.
    static final Pattern ORGAN_ID = Pattern.compile("^[0-9A-Z]+(\\.[0-9A-Z]+)*$");
    static final int ORGAN_ID_MAX = 35;
    // The characters Kafka allows in a topic; Artemis accepts them too.
    static final Pattern QUEUE_OR_TOPIC = Pattern.compile("^[A-Za-z0-9._-]{1,249}$");
    // Lower case only, so two folders cannot collide on a case-insensitive file system;
    // segments start with a letter or digit, so neither "..", "." nor an absolute path gets in.
    static final Pattern FOLDER = Pattern.compile("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$");

    private Names() {}

    static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    static String require(String value, Pattern pattern, String what) {
        Objects.requireNonNull(value, what);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    static String requireOrganId(String value) {
        require(value, ORGAN_ID, "organId");
        if (value.length() > ORGAN_ID_MAX) {
            throw new IllegalArgumentException("organId '" + value + "' is longer than " + ORGAN_ID_MAX);
        }
        return value;
    }

    /** Why a push URL is unusable, if it is. */
    static Optional<String> urlProblem(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of("url '" + value + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("url '" + value + "' must be an absolute http(s) URL");
        }
        if (uri.getHost() == null) {
            return Optional.of("url '" + value + "' has no host");
        }
        if (uri.getFragment() != null || uri.getUserInfo() != null) {
            // Credentials belong in Keycloak, not in the registry.
            return Optional.of("url '" + value + "' must not carry a fragment or user info");
        }
        return Optional.empty();
    }

    static URI requireUrl(URI url) {
        Objects.requireNonNull(url, "url");
        urlProblem(url.toString()).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return url;
    }

    /** A URL in the form used to compare two agencies' URLs. */
    static String comparableUrl(URI url) {
        URI n = url.normalize();
        String s = n.getScheme().toLowerCase(Locale.ROOT) + "://" + n.getHost().toLowerCase(Locale.ROOT)
                + (n.getPort() < 0 ? "" : ":" + n.getPort()) + (n.getRawPath() == null ? "" : n.getRawPath());
        s = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        return n.getRawQuery() == null ? s : s + "?" + n.getRawQuery();
    }
}
