package vn.lienthong.schemas.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.IDN;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.lienthong.schemas.errors.ErrorCode;

/**
 * URLs that agencies and platforms must act on are absolute http(s) URLs with a host. Hosts in
 * Vietnamese script (mỹphẩm.vn) are accepted: they are checked in their ASCII (punycode) form.
 */
final class HttpUrls {

    /** Members that hold a web URL wherever they stand; takedown listings have their own code. */
    private static final Set<String> URL_FIELDS = Set.of("url");
    private static final Pattern SHAPE = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\\s]*)([/?#]\\S*)?$");

    private HttpUrls() {
    }

    /** Checks every {@code url} member outside takedowns (which report TAKEDOWN_URL_INVALID). */
    static void check(JsonNode envelope, RuleContext ctx) {
        String type = envelope.path("type").asText("");
        boolean takedown = type.equals("takedown.request") || type.equals("takedown.report");
        Json.forEachObject(envelope, "", (pointer, object) -> {
            for (String field : URL_FIELDS) {
                Json.text(object, field).ifPresent(url -> {
                    String where = pointer + "/" + field;
                    boolean takedownListing = takedown && (where.matches("/payload/listings/\\d+/url")
                            || where.matches("/payload/results/\\d+/url"));
                    String problem = problem(url);
                    if (problem != null && !takedownListing) {
                        ctx.error(ErrorCode.INVALID_URL, where, problem);
                    }
                });
            }
        });
    }

    /** Why a URL cannot be acted on, or null when it can. */
    static String problem(String url) {
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            return "not an absolute URL: a scheme, '://' and a host are needed, without spaces";
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "the scheme must be http or https, not " + scheme;
        }
        String authority = m.group(2);
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.startsWith("[")) {
            return host.endsWith("]") || host.contains("]:") ? null : "the URL's IPv6 host is not closed";
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            String port = host.substring(colon + 1);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                return "the URL's port is not a number from 0 to 65535";
            }
            host = host.substring(0, colon);
        }
        if (host.isEmpty()) {
            return "the URL has no host";
        }
        try {
            String ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            // Letters, digits, hyphens and (seen in the wild) underscores, in dot-separated labels.
            if (!ascii.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?")) {
                return "the URL's host is not a host name";
            }
        } catch (IllegalArgumentException e) {
            return "the URL's host is not a valid international domain name";
        }
        return null;
    }
}
