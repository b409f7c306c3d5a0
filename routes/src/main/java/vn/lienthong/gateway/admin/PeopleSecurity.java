package vn.lienthong.gateway.admin;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import vn.lienthong.gateway.identity.PersonDirectory;

/**
 * Who may use the operator's seat: people of realm {@code lienthong} — bearer tokens for API calls,
 * an authorization-code login for browsers — with the realm role {@code auditor} (reads) or
 * {@code operator} (reads, and resends, abandons, pauses). Two filter chains:
 *
 * <ul>
 *   <li>the agencies' REST channel ({@code /api/v1/**} outside {@code /api/v1/admin/**}) passes
 *       untouched: its routes check the agency's own token ({@code AgencyAuthenticator}), which a
 *       person's token, having no {@code agency} claim, never passes;</li>
 *   <li>everything else (operator API, actuator, console, Hawtio) needs a person: only
 *       {@code /actuator/health/liveness} and {@code /actuator/health/readiness} stay open for
 *       orchestrators.</li>
 * </ul>
 *
 * <p>A token that carries an {@code agency} claim (an agency's client-credentials token) grants no
 * role here, whatever realm roles it holds: 403. A person disabled in Keycloak is refused within
 * the revocation bound ({@link PersonDirectory}) even with a token or session from before.
 */
public final class PeopleSecurity {

    /** Reads everything. */
    public static final String AUDITOR = "auditor";
    /** Reads, and resends, abandons, pauses. */
    public static final String OPERATOR = "operator";
    /** A scraper's role (Prometheus through a client of its own): metrics only. */
    public static final String MONITORING = "monitoring";
    /** The client registration of the browser login (and its path {@code /oauth2/authorization/keycloak}). */
    public static final String REGISTRATION = "keycloak";
    /** The operator API. */
    public static final String ADMIN_API = "/api/v1/admin/";

    private static final String LOGIN = "/oauth2/authorization/" + REGISTRATION;

    private PeopleSecurity() {
    }

    /** The agencies' REST channel: no people, no sessions, no CSRF; the routes authenticate agencies. */
    public static SecurityFilterChain agencyChannel(HttpSecurity http) throws Exception {
        return http.securityMatcher(PeopleSecurity::agencyPath)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                // The channel's answers keep their own headers (an allow-list, HeaderReflectionTest):
                // none of Spring Security's defaults.
                .headers(h -> h.disable())
                .anonymous(Customizer.withDefaults())
                .build();
    }

    /** Every surface for people, behind realm {@code lienthong}. */
    public static SecurityFilterChain people(HttpSecurity http, JwtDecoder decoder,
            ClientRegistrationRepository registrations, PersonDirectory directory) throws Exception {
        AuthorizationManager<RequestAuthorizationContext> reader = person(directory, AUDITOR, OPERATOR);
        AuthorizationManager<RequestAuthorizationContext> operator = person(directory, OPERATOR);
        RequestMatcher api = r -> r.getRequestURI().startsWith("/api/");
        RequestMatcher browser = r -> !api.matches(r) && r.getHeader("Accept") != null
                && r.getHeader("Accept").contains("text/html");
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/liveness", "/actuator/health/readiness", "/error").permitAll()
                        .requestMatchers(HttpMethod.GET, ADMIN_API + "**").access(reader)
                        .requestMatchers(HttpMethod.HEAD, ADMIN_API + "**").access(reader)
                        .requestMatchers(ADMIN_API + "**").access(operator)
                        // The route console starts and stops routes: operators only, reads too.
                        .requestMatchers("/actuator/hawtio/**", "/actuator/hawtio", "/actuator/jolokia/**",
                                "/actuator/jolokia").access(operator)
                        // The same meters, scraped whole or read one by one.
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
                                .access(person(directory, AUDITOR, OPERATOR, MONITORING))
                        // Actuator writes (camelroutes stop/suspend) are acts of an operator.
                        .requestMatchers(HttpMethod.GET, "/actuator/**").access(reader)
                        .requestMatchers("/actuator/**").access(operator)
                        .anyRequest().access(reader))
                // CSRF guards ambient credentials (a browser's session cookie): a request without
                // cookies has none to abuse, and an anonymous API call then gets its 401.
                .csrf(c -> c.ignoringRequestMatchers(r -> r.getHeader("Cookie") == null)
                        // Browser pages (Hawtio, the console) read the token from cookie XSRF-TOKEN and
                        // send it back as X-XSRF-TOKEN; it is issued on every request.
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(eagerCsrfToken()))
                .oauth2ResourceServer(r -> r.jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(jwtConverter())))
                .oauth2Login(o -> o.clientRegistrationRepository(registrations)
                        .userInfoEndpoint(u -> u.oidcUserService(oidcUsers(decoder))))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN), browser)
                        .defaultAuthenticationEntryPointFor(new BearerTokenAuthenticationEntryPoint(), r -> true))
                .build();
    }

    private static CsrfTokenRequestAttributeHandler eagerCsrfToken() {
        CsrfTokenRequestAttributeHandler handler = new CsrfTokenRequestAttributeHandler();
        // Loaded on every request, so the cookie exists before a page's first POST.
        handler.setCsrfRequestAttributeName(null);
        return handler;
    }

    private static boolean agencyPath(jakarta.servlet.http.HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/api/v1/") && !path.startsWith(ADMIN_API) && !path.equals("/api/v1/admin");
    }

    /**
     * Granted when the caller holds one of the roles and, for a browser session, is still enabled
     * in Keycloak (a bearer token's person is checked when the token is decoded).
     */
    static AuthorizationManager<RequestAuthorizationContext> person(PersonDirectory directory, String... roles) {
        Set<String> wanted = new HashSet<>();
        for (String role : roles) {
            wanted.add("ROLE_" + role);
        }
        return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
            Authentication a = authentication.get();
            if (a == null || !a.isAuthenticated()) {
                return new AuthorizationDecision(false);
            }
            boolean role = a.getAuthorities().stream().anyMatch(g -> wanted.contains(g.getAuthority()));
            if (role && a.getPrincipal() instanceof OidcUser user && !directory.enabled(user.getSubject())) {
                return new AuthorizationDecision(false);
            }
            return new AuthorizationDecision(role);
        };
    }

    /**
     * The realm's tokens, checked against its published keys and exact issuer; a person's token
     * (no {@code agency} claim) also needs the person still enabled.
     */
    public static JwtDecoder jwtDecoder(String issuer, PersonDirectory directory) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(issuer + "/protocol/openid-connect/certs").build();
        OAuth2TokenValidator<Jwt> enabled = jwt -> jwt.hasClaim("agency") || directory.enabled(jwt.getSubject())
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                        "this person is disabled in Keycloak", null));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer),
                enabled));
        return decoder;
    }

    /** The browser login: realm {@code lienthong}'s endpoints, without asking Keycloak at start. */
    public static ClientRegistration consoleRegistration(String issuer, String clientId, String clientSecret) {
        String oidc = issuer + "/protocol/openid-connect";
        return ClientRegistration.withRegistrationId(REGISTRATION)
                .clientId(clientId).clientSecret(clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope("openid", "profile")
                .authorizationUri(oidc + "/auth").tokenUri(oidc + "/token").jwkSetUri(oidc + "/certs")
                .userInfoUri(oidc + "/userinfo").issuerUri(issuer)
                .userNameAttributeName("preferred_username")
                .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
                .clientName("Keycloak (realm lienthong)")
                .build();
    }

    /**
     * The roles a token grants here: its realm roles {@code auditor}, {@code operator} and
     * {@code monitoring}, unless it
     * carries an {@code agency} claim (an agency's token opens nothing of the operator's seat).
     */
    public static Set<GrantedAuthority> authorities(Map<String, Object> claims) {
        Set<GrantedAuthority> granted = new HashSet<>();
        if (claims.containsKey("agency")) {
            return granted;
        }
        if (claims.get("realm_access") instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> roles) {
            for (Object role : roles) {
                if (AUDITOR.equals(role) || OPERATOR.equals(role) || MONITORING.equals(role)) {
                    granted.add(new SimpleGrantedAuthority("ROLE_" + role));
                }
            }
        }
        return granted;
    }

    private static JwtAuthenticationConverter jwtConverter() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> List.copyOf(authorities(jwt.getClaims())));
        converter.setPrincipalClaimName("preferred_username");
        return converter;
    }

    /** A browser login's roles come from its access token (Keycloak puts realm roles there, not in the ID token). */
    private static OAuth2UserService<OidcUserRequest, OidcUser> oidcUsers(JwtDecoder decoder) {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            Jwt access = decoder.decode(request.getAccessToken().getTokenValue());
            Set<GrantedAuthority> authorities = new HashSet<>(user.getAuthorities());
            authorities.addAll(authorities(access.getClaims()));
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "preferred_username");
        };
    }

    /** The person behind a request: their Keycloak user id, user name and roles here. */
    public static Person person(Authentication authentication) {
        Set<String> roles = new HashSet<>();
        authentication.getAuthorities().forEach(g -> {
            if (g.getAuthority().startsWith("ROLE_")) {
                roles.add(g.getAuthority().substring("ROLE_".length()));
            }
        });
        if (authentication instanceof JwtAuthenticationToken jwt) {
            Jwt token = jwt.getToken();
            String name = token.getClaimAsString("preferred_username");
            return new Person(token.getSubject(), name == null ? token.getSubject() : name, roles);
        }
        if (authentication.getPrincipal() instanceof OidcUser user) {
            String name = user.getPreferredUsername();
            return new Person(user.getSubject(), name == null ? user.getSubject() : name, roles);
        }
        return new Person(authentication.getName(), authentication.getName(), roles);
    }
}
