package vn.lienthong.gateway.ingress;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the API's request bodies before Camel's HTTP binding reads them (it reads a body whole,
 * into memory, and parses a form body into parameters): a form or multipart body is answered 415
 * (no agency format is a form, and a malformed one would end in a 500); a declared length over the
 * largest message is answered 413 unread; and no body is read past one byte over that size, so the
 * REST ingress sees it is too large ({@link RawBody}) without the gateway holding the rest.
 */
public final class RestBodyGuard extends OncePerRequestFilter {

    private final int maxBytes;
    private final java.util.Set<String> ownLimits;

    /** A guard for bodies of at most {@code maxBytes} (the largest message). */
    public RestBodyGuard(int maxBytes) {
        this(maxBytes, java.util.Set.of());
    }

    /**
     * A guard for bodies of at most {@code maxBytes}, except those POSTed to {@code ownLimits} (the
     * attachment upload), whose route streams them under a limit of its own; forms are refused on
     * every path.
     */
    public RestBodyGuard(int maxBytes, java.util.Set<String> ownLimits) {
        this.maxBytes = maxBytes;
        this.ownLimits = java.util.Set.copyOf(ownLimits);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (type.contains("application/x-www-form-urlencoded") || type.contains("multipart/")) {
            problem(response, 415, "UNSUPPORTED_MEDIA_TYPE", "a form or multipart body is no message format of this"
                    + " gateway: send the message's own bytes with its media type (application/json, application/xml)");
            return;
        }
        // An Accept header Spring cannot parse ends the request with an empty 406 while Camel still
        // answers asynchronously: say what is wrong here, before either reads it.
        String accept = request.getHeader("Accept");
        if (accept != null) {
            try {
                org.springframework.http.MediaType.parseMediaTypes(accept);
            } catch (org.springframework.http.InvalidMediaTypeException e) {
                problem(response, 406, "NOT_ACCEPTABLE", "the Accept header cannot be parsed as media types"
                        + " (RFC 9110 section 12.5.1): send application/json, application/jose or */*");
                return;
            }
        }
        if ("POST".equals(request.getMethod()) && ownLimits.contains(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > maxBytes) {
            problem(response, 413, "BODY_TOO_LARGE", "the body is larger than " + maxBytes + " bytes, the most one"
                    + " message may be (attachments travel by reference); nothing was kept");
            return;
        }
        chain.doFilter(new Capped(request, maxBytes + 1L), response);
    }

    private static void problem(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        byte[] body = ("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** A request whose body ends after {@code cap} bytes, whatever follows. */
    private static final class Capped extends HttpServletRequestWrapper {
        private final long cap;
        private ServletInputStream capped;

        Capped(HttpServletRequest request, long cap) {
            super(request);
            this.cap = cap;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (capped == null) {
                ServletInputStream in = super.getInputStream();
                capped = new ServletInputStream() {
                    private long left = cap;

                    @Override
                    public int read() throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int b = in.read();
                        if (b >= 0) {
                            left--;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = in.read(b, off, (int) Math.min(len, left));
                        if (n > 0) {
                            left -= n;
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return left <= 0 || in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return capped;
        }
    }
}
