package io.fleetline.api.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.fleetline.api.limits.RateLimitFilter;
import io.fleetline.api.problem.ProblemResponses;
import jakarta.servlet.DispatcherType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Two filter chains: the embedded authorization server on its own endpoints ({@code /oauth2/**}),
 * and the resource server for everything else, where each path needs its scope. Tokens are
 * validated locally with the signing key, or against an external issuer when one is configured.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServer(
      HttpSecurity http,
      ApiClientRepository clients,
      OAuth2AuthorizationService authorizations,
      AuthorizationServerSettings settings,
      FailedClientAuthentications failures,
      ClientAuthenticationLimits limits,
      PasswordEncoder passwords,
      ProblemResponses problems) {
    OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
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
            limits.maxConcurrentWait());
    var unknownClients = new UnknownClientSecrets(clients, passwords);
    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            s ->
                s.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .authorizationServerSettings(settings)
                    .tokenEndpoint(t -> t.authenticationProviders(RegisteredScopesByDefault::wrap))
                    .clientAuthentication(
                        c ->
                            c.authenticationProviders(p -> p.add(0, unknownClients))
                                .authenticationSuccessHandler(limit::authenticated)
                                .errorResponseHandler(limit::failed)))
        .addFilterBefore(
            new AuthorizationEndpointRefusal(settings.getAuthorizationEndpoint()),
            SecurityContextHolderFilter.class)
        // The server adds its client authentication right after this position.
        .addFilterBefore(limit, AbstractPreAuthenticatedProcessingFilter.class)
        .authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()));
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
  OAuth2AuthorizationService authorizationService() {
    return new StatelessAuthorizationService();
  }

  /**
   * Puts the API's audience (instead of the library's default, the client id), the client's fleet
   * and its own rate into its access tokens.
   */
  @Bean
  OAuth2TokenCustomizer<JwtEncodingContext> fleetClaim(AuthProperties properties) {
    return context -> {
      context.getClaims().audience(List.of(properties.audience()));
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
