package vn.lienthong.gateway.ingress;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 415 to a form or multipart body on the API before Camel's HTTP binding parses it: the
 * binding decodes such bodies into parameters first, and a malformed one (a bad {@code %} escape)
 * would end in a 500. No agency format is a form, so nothing is lost.
 */
public final class FormBodyGuard extends OncePerRequestFilter {

    private static final byte[] PROBLEM = ("{\"code\":\"UNSUPPORTED_MEDIA_TYPE\",\"message\":\"a form or multipart body is"
            + " no message format of this gateway: send the message's own bytes with its media type (application/json,"
            + " application/xml)\"}").getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.contains("application/x-www-form-urlencoded") || type.contains("multipart/")) {
            response.setStatus(415);
            response.setContentType("application/json");
            response.setContentLength(PROBLEM.length);
            response.getOutputStream().write(PROBLEM);
            return;
        }
        chain.doFilter(request, response);
    }
}
