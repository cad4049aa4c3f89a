package io.fleetline.api.console;

import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The console's files and its configuration are public: they hold no data, which comes from the API
 * with the signed-in person's token. Their Content-Security-Policy lets pages load scripts and
 * styles only from this server, images also from the tile server, and be framed by no one.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

  @Bean
  @Order(2)
  SecurityFilterChain console(HttpSecurity http, ConsoleSettings settings) {
    http.securityMatcher("/console", "/console/**", "/webjars/**")
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.GET, "/console", "/console/**", "/webjars/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.HEAD, "/console", "/console/**", "/webjars/**")
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .headers(
            h ->
                h.contentSecurityPolicy(csp -> csp.policyDirectives(policy(settings)))
                    .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                    .frameOptions(f -> f.deny()))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(c -> c.disable())
        .csrf(csrf -> csrf.disable());
    return http.build();
  }

  static String policy(ConsoleSettings settings) {
    Set<String> images = new LinkedHashSet<>();
    images.add("'self'");
    images.add("data:");
    if (settings.tileSource() != null) {
      images.add(settings.tileSource());
    }
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    connect.addAll(settings.connectOrigins());
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
        + String.join(" ", images)
        + "; connect-src "
        + String.join(" ", connect)
        + "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  }
}
