package vn.lienthong.gateway.admin;

import java.net.URI;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The operator's console page at {@code /console/}: static HTML, CSS and plain JavaScript from the
 * classpath folder {@code console/}, calling the operator API with the browser's session; its charts
 * drawn by ECharts from the library's WebJar, served here too (no CDN: the console works offline). Who may
 * open it is {@link PeopleSecurity}'s (auditors and operators; anyone else is sent to Keycloak).
 */
public final class ConsolePage {

    /** Where the page lives. */
    public static final String PATH = "/console/";
    /** The chart library's script, from its WebJar (org.webjars.npm:echarts), served beside the page. */
    static final String CHARTS = "lib/echarts.min.js";
    private static final String CHARTS_IN_JAR = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    /** Same origin only, no framing: the page loads nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:;"
            + " style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ConsolePage() {
    }

    /** The routes, for Spring MVC. */
    public static RouterFunction<ServerResponse> routes() {
        Resource index = new ClassPathResource("console/index.html");
        return RouterFunctions.route()
                .GET("/console", r -> ServerResponse.permanentRedirect(URI.create(PATH)).build())
                .GET(PATH, r -> ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                        .cacheControl(CacheControl.noCache())
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY).body(index))
                // The page names the library without a version; the jar's path holds it.
                .GET(PATH + CHARTS, r -> ServerResponse.ok().contentType(MediaType.valueOf("text/javascript"))
                        .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(1)))
                        .body(new ClassPathResource(CHARTS_IN_JAR)))
                .add(RouterFunctions.resources(PATH + "**", new ClassPathResource("console/")))
                .build();
    }
}
