package vn.lienthong.gateway.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without a screen: keeps cookies, follows redirects one by one (recording them), and
 * fills in Keycloak's own login form, so a test sees the authorization-code login a person goes
 * through.
 */
final class BrowserLogin {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /**
     * The cookies, by name: one jar for both servers (they share 127.0.0.1 and their cookie names
     * differ). Java's CookieManager would not send Keycloak's Secure cookies over plain http, as a
     * browser does to 127.0.0.1.
     */
    private final java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
    /** Every URL visited, in order. */
    final List<URI> visited = new ArrayList<>();

    /** GET as a browser does (Accept: text/html), following redirects; the last answer. */
    HttpResponse<String> open(URI uri) {
        return follow(HttpRequest.newBuilder(uri).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET());
    }

    /** Answers Keycloak's login page (the last answer's body) with a user name and password; follows what comes. */
    HttpResponse<String> logIn(HttpResponse<String> loginPage, String username, String password) {
        Matcher form = FORM_ACTION.matcher(loginPage.body());
        if (!form.find()) {
            throw new AssertionError("no Keycloak login form at " + loginPage.uri() + ": " + loginPage.body());
        }
        URI action = URI.create(form.group(1).replace("&amp;", "&"));
        String body = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=";
        return follow(HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> follow(HttpRequest.Builder first) {
        HttpRequest.Builder builder = first.timeout(Duration.ofSeconds(30));
        for (int hops = 0; hops < 10; hops++) {
            if (!cookies.isEmpty()) {
                builder.header("Cookie", String.join("; ", cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            HttpRequest request = builder.build();
            visited.add(request.uri());
            HttpResponse<String> response = send(request);
            keepCookies(response);
            int status = response.statusCode();
            if (status < 300 || status > 399) {
                return response;
            }
            URI next = request.uri().resolve(response.headers().firstValue("Location")
                    .orElseThrow(() -> new AssertionError("redirect without Location")));
            builder = HttpRequest.newBuilder(next).header("Accept", "text/html").timeout(Duration.ofSeconds(30)).GET();
        }
        throw new AssertionError("more than 10 redirects: " + visited);
    }

    private void keepCookies(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String lower = header.toLowerCase(java.util.Locale.ROOT);
            if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
