package io.fleetline.api.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import io.fleetline.api.console.ConsoleProperties;
import io.fleetline.api.limits.RateLimitFilter;
import io.fleetline.api.problem.ProblemResponses;
import io.fleetline.api.user.FleetUser;
import io.fleetline.api.user.FleetUsers;
import io.fleetline.api.user.UserPasswords;
import jakarta.servlet.DispatcherType;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.Http403ForbiddenEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The embedded authorization server on its own endpoints ({@code /oauth2/**}) with the console's
 * sign-in form ({@code /console/login}, {@code /console/logout}), and the resource server for the
 * API, where each path needs its scope (the console's static files have a chain of their own).
 * Tokens are validated locally with the signing key, or against an external issuer when one is
 * configured.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServer(
      HttpSecurity http,
      ApiClientRepository apiClients,
      ConsoleClient console,
      OAuth2AuthorizationService authorizations,
      AuthorizationServerSettings settings,
      FailedClientAuthentications failures,
      ClientAuthenticationLimits limits,
      PasswordEncoder passwords,
      ProblemResponses problems,
      JWKSource<SecurityContext> keys,
      OAuth2TokenCustomizer<JwtEncodingContext> claims,
      FleetUsers users,
      UserPasswords userPasswords,
      FailedSignIns failedSignIns,
      NewSignInSessions newSignInSessions,
      SignInPage signInPage) {
    OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
    var clients = new ClientsAndConsole(apiClients, console);
    var limit =
        new ClientAuthenticationLimitFilter(
            failures,
            problems,
            Set.of(
                settings.getTokenEndpoint(),
                settings.getTokenIntrospectionEndpoint(),
                settings.getTokenRevocationEndpoint(),
                settings.getDeviceAuthorizationEndpoint(),
                settings.getPushedAuthorizationRequestEndpoint()),
            limits.maxConcurrent(),
            limits.maxConcurrentWait(),
            id -> console.client() != null && console.client().getClientId().equals(id));
    var unknownClients = new UnknownClientSecrets(apiClients, passwords);
    var publicClients = new PublicClientRefresh(clients, settings.getTokenRevocationEndpoint());
    var jwt = new JwtGenerator(new NimbusJwtEncoder(keys));
    jwt.setJwtCustomizer(claims);
    var tokens =
        new DelegatingOAuth2TokenGenerator(
            jwt, new OAuth2AccessTokenGenerator(), new ConsoleRefreshTokens());
    RequestMatcher authorizationEndpoint =
        PathPatternRequestMatcher.withDefaults().matcher(settings.getAuthorizationEndpoint());
    RequestMatcher signInPages =
        new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(ConsoleProperties.LOGIN_PATH),
            PathPatternRequestMatcher.withDefaults().matcher(ConsoleProperties.LOGOUT_PATH));
    AuthenticationEntryPoint toSignIn =
        new LoginUrlAuthenticationEntryPoint(ConsoleProperties.LOGIN_PATH);
    AuthenticationEntryPoint forbidden = new Http403ForbiddenEntryPoint();
    var afterSignIn = new SavedRequestAwareAuthenticationSuccessHandler();
    afterSignIn.setDefaultTargetUrl(ConsoleProperties.LOGIN_PATH.replace("login", ""));
    http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), signInPages))
        .with(
            server,
            s ->
                s.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .authorizationServerSettings(settings)
                    .tokenGenerator(tokens)
                    .tokenEndpoint(
                        t ->
                            t.authenticationProviders(RegisteredScopesByDefault::wrap)
                                .accessTokenResponseHandler(roleScopesInTokenResponses(console)))
                    .clientAuthentication(
                        c ->
                            c.authenticationConverters(cs -> cs.add(publicClients))
                                .authenticationProviders(
                                    p -> {
                                      p.add(0, unknownClients);
                                      p.add(0, publicClients);
                                    })
                                .authenticationSuccessHandler(limit::authenticated)
                                .errorResponseHandler(limit::failed)))
        .addFilterBefore(
            new AuthorizationEndpointRefusal(settings.getAuthorizationEndpoint(), console),
            SecurityContextHolderFilter.class)
        // After the refusal: only the console's authorization requests may begin a session.
        .addFilterBefore(
            new NewSignInSessionLimitFilter(
                newSignInSessions,
                problems,
                Set.of(settings.getAuthorizationEndpoint(), ConsoleProperties.LOGIN_PATH)),
            SecurityContextHolderFilter.class)
        // The server adds its client authentication right after this position.
        .addFilterBefore(limit, AbstractPreAuthenticatedProcessingFilter.class)
        .authenticationProvider(new FleetUserSignIn(users, userPasswords, failedSignIns, limits))
        .authorizeHttpRequests(
            a -> a.requestMatchers(signInPages).permitAll().anyRequest().authenticated())
        // The console's sign-in form: its session serves only the authorization endpoint.
        .formLogin(
            f ->
                f.loginPage(ConsoleProperties.LOGIN_PATH)
                    .loginProcessingUrl(ConsoleProperties.LOGIN_PATH)
                    .successHandler(afterSignIn)
                    .failureHandler(signInPage::refused))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                    (request, response, failure) ->
                        (authorizationEndpoint.matches(request) ? toSignIn : forbidden)
                            .commence(request, response, failure)))
        // Sessions only for signing in at the authorization endpoint; the token endpoint creates
        // none, so client credentials stay stateless.
        .sessionManagement(
            s ->
                s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED)
                    .sessionFixation(f -> f.changeSessionId()))
        .headers(h -> h.frameOptions(f -> f.deny()))
        .csrf(
            csrf ->
                csrf.ignoringRequestMatchers(
                    server.getEndpointsMatcher(),
                    PathPatternRequestMatcher.withDefaults()
                        .matcher(ConsoleProperties.LOGOUT_PATH)));
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain api(HttpSecurity http, ProblemResponses problems) {
    http.authorizeHttpRequests(
            a ->
                // Asynchronous dispatches (the live stream) were authorized when the request began;
                // error dispatches render a problem for a request that was already let in.
                a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                    .permitAll()
                    .requestMatchers(
                        "/actuator/prometheus",
                        "/v3/api-docs",
                        "/v3/api-docs/**",
                        "/v3/api-docs.yaml",
                        "/swagger-ui.html",
                        "/swagger-ui/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/api/v1/admin/fleets")
                    .hasAuthority(Scopes.authority(Scopes.PLATFORM_ADMIN))
                    .requestMatchers("/api/v1/admin/**")
                    .hasAnyAuthority(
                        Scopes.authority(Scopes.PLATFORM_ADMIN),
                        Scopes.authority(Scopes.FLEET_ADMIN))
                    .requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                    .hasAuthority(Scopes.authority(Scopes.FLEET_ADMIN))
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .hasAuthority(Scopes.authority(Scopes.FLEET_READ))
                    .requestMatchers("/api/**")
                    .hasAuthority(Scopes.authority(Scopes.FLEET_WRITE))
                    .anyRequest()
                    .denyAll())
        .oauth2ResourceServer(
            rs ->
                rs.jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(problems::unauthorized)
                    .accessDeniedHandler(problems::forbidden))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(problems::unauthorized)
                    .accessDeniedHandler(problems::forbidden))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(Customizer.withDefaults())
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  @Bean
  RSAKey signingKey(AuthProperties properties) {
    if (properties.signingKey() != null && !properties.signingKey().isBlank()) {
      return SigningKeys.load(new DefaultResourceLoader().getResource(properties.signingKey()));
    }
    if (properties.generateSigningKey()) {
      log.warn("Signing tokens with a generated key: tokens will not survive a restart");
      return SigningKeys.generate();
    }
    throw new IllegalStateException(
        "No token signing key: set fleetline.auth.signing-key (FLEETLINE_AUTH_SIGNING_KEY) to a"
            + " PKCS#8 PEM RSA private key, e.g. file:/etc/fleetline/jwt-signing-key.pem");
  }

  @Bean
  JWKSource<SecurityContext> jwkSource(RSAKey signingKey) {
    return new ImmutableJWKSet<>(new JWKSet(signingKey));
  }

  @Bean
  JwtDecoder jwtDecoder(AuthProperties properties, RSAKey signingKey, RevokedClients revoked)
      throws Exception {
    if (properties.audience() == null || properties.audience().isBlank()) {
      throw new IllegalStateException(
          "fleetline.auth.audience (FLEETLINE_AUTH_AUDIENCE) must name this API's audience");
    }
    NimbusJwtDecoder verifier;
    String issuer;
    OAuth2TokenValidator<Jwt> audience = new JwtAudienceValidator(properties.audience());
    if (properties.externalIssuerUri() != null && !properties.externalIssuerUri().isBlank()) {
      // The external issuer's keys and issuer name come from its discovery document.
      issuer = properties.externalIssuerUri();
      verifier = NimbusJwtDecoder.withIssuerLocation(issuer).build();
      audience = warnOnceWithoutTheAudience(audience, issuer, properties.audience());
    } else {
      issuer = properties.issuer();
      verifier = NimbusJwtDecoder.withPublicKey(signingKey.toRSAPublicKey()).build();
      audience = orIssuedBeforeTheAudience(audience);
    }
    // A token without an expiry would be valid forever, and one issued for another application
    // (same identity provider, other audience) must not open this API.
    verifier.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(issuer),
            new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
            audience,
            revoked));
    return new VerifiedTokens(
        verifier,
        new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), revoked),
        properties.verifiedTokenCacheSize());
  }

  /**
   * Tells the operator once, not per request, why an external issuer's tokens are all refused when
   * the issuer does not put this API's audience in them.
   */
  private static OAuth2TokenValidator<Jwt> warnOnceWithoutTheAudience(
      OAuth2TokenValidator<Jwt> audience, String issuer, String expected) {
    AtomicBoolean warned = new AtomicBoolean();
    return jwt -> {
      OAuth2TokenValidatorResult result = audience.validate(jwt);
      if (result.hasErrors() && warned.compareAndSet(false, true)) {
        log.warn(
            "Refusing tokens of {} that do not carry the audience \"{}\" (this one has {}): have"
                + " the issuer put \"{}\" in the aud claim of tokens for this API (in Keycloak an"
                + " audience mapper), or set fleetline.auth.audience (FLEETLINE_AUTH_AUDIENCE,"
                + " Helm fleetApi.audience) to the audience it issues. Told once.",
            issuer,
            expected,
            jwt.getAudience(),
            expected);
      }
      return result;
    };
  }

  /**
   * Also accepts the embedded server's tokens from before it named the API's audience, which carry
   * the library's default audience, their own client id: signed with this API's key, they were
   * never meant for anything else, and they expire within one token lifetime of an upgrade.
   */
  private static OAuth2TokenValidator<Jwt> orIssuedBeforeTheAudience(
      OAuth2TokenValidator<Jwt> audience) {
    return jwt ->
        jwt.getSubject() != null && List.of(jwt.getSubject()).equals(jwt.getAudience())
            ? OAuth2TokenValidatorResult.success()
            : audience.validate(jwt);
  }

  /** Browser origins allowed to call the API; none unless configured. */
  @Bean
  CorsConfigurationSource corsConfigurationSource(CorsProperties cors) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!cors.allowedOrigins().isEmpty()) {
      CorsConfiguration configuration = new CorsConfiguration();
      configuration.setAllowedOrigins(cors.allowedOrigins());
      configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
      configuration.setAllowedHeaders(
          List.of("Authorization", "Content-Type", "Accept", "Last-Event-ID"));
      configuration.setExposedHeaders(List.of("Location", "Retry-After"));
      configuration.setMaxAge(cors.maxAge());
      source.registerCorsConfiguration("/api/**", configuration);
      source.registerCorsConfiguration("/oauth2/token", configuration);
    }
    return source;
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(AuthProperties properties) {
    return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
  }

  @Bean
  OAuth2AuthorizationService authorizationService(
      ConsoleClient console, JdbcOperations jdbc, ApiClientRepository apiClients) {
    return new ConsoleAuthorizations(console, jdbc, new ClientsAndConsole(apiClients, console));
  }

  /**
   * Puts the API's audience (instead of the library's default, the client id), the client's fleet
   * and its own rate into its access tokens.
   */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> fleetClaim(
      AuthProperties properties, ConsoleClient console, FleetUsers users) {
    return context -> {
      // Mutable lists: a console sign-in's claims are stored, and read back by a type-checked
      // JSON mapper that admits only the usual collection classes.
      context.getClaims().audience(new ArrayList<>(List.of(properties.audience())));
      if (console.isConsole(context.getRegisteredClient().getId())) {
        personClaims(context, properties, users);
        return;
      }
      Object fleet =
          context
              .getRegisteredClient()
              .getClientSettings()
              .getSetting(ApiClientRepository.FLEET_SETTING);
      if (fleet != null) {
        context.getClaims().claim(properties.fleetClaim(), fleet.toString());
      }
      Object rate =
          context
              .getRegisteredClient()
              .getClientSettings()
              .getSetting(ApiClientRepository.RATE_SETTING);
      if (rate != null) {
        context.getClaims().claim(RateLimitFilter.CLAIM, rate);
      }
    };
  }

  /**
   * Answers a person's token request with the scopes their token carries (those of their role), not
   * all that the console asked for, so that the console can tell what the person may do.
   */
  private static AuthenticationSuccessHandler roleScopesInTokenResponses(ConsoleClient console) {
    var handler = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    handler.setAccessTokenResponseCustomizer(
        context -> {
          OAuth2AccessTokenAuthenticationToken issued = context.getAuthentication();
          if (!console.isConsole(issued.getRegisteredClient().getId())) {
            return;
          }
          try {
            List<String> scopes =
                SignedJWT.parse(issued.getAccessToken().getTokenValue())
                    .getJWTClaimsSet()
                    .getStringListClaim(OAuth2ParameterNames.SCOPE);
            context.getAccessTokenResponse().scopes(scopes == null ? Set.of() : Set.copyOf(scopes));
          } catch (ParseException e) {
            throw new IllegalStateException("the console's access token is not a JWT", e);
          }
        });
    return handler;
  }

  /**
   * A signed-in person's token: their id as subject, their fleet, name and email, and the scopes of
   * their role (of those the console asked for). A person disabled or deleted since signing in gets
   * no token, not even by refreshing.
   */
  private static void personClaims(
      JwtEncodingContext context, AuthProperties properties, FleetUsers users) {
    FleetUser user = null;
    try {
      user = users.findById(UUID.fromString(context.getPrincipal().getName())).orElse(null);
    } catch (IllegalArgumentException notAPerson) {
      // not signed in through the console's form
    }
    if (user == null || !user.enabled()) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(
              OAuth2ErrorCodes.INVALID_GRANT, "The account is disabled or deleted.", null));
    }
    List<String> scopes =
        user.role().scopes().stream()
            .filter(context.getAuthorizedScopes()::contains)
            .collect(Collectors.toCollection(ArrayList::new));
    context
        .getClaims()
        .claim(properties.fleetClaim(), user.fleetId().toString())
        .claim("name", user.displayName())
        .claim("email", user.email())
        .claim("role", user.role().value())
        .claim(OAuth2ParameterNames.SCOPE, scopes);
  }

  /**
   * No observation (timer and span) around every security filter and authorization decision: on a
   * small answer that bookkeeping cost a fifth of the request's CPU. Requests as a whole are still
   * observed ({@code http.server.requests}).
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }
}
