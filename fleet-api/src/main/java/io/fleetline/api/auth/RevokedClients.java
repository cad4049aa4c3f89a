package io.fleetline.api.auth;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Rejects the unexpired tokens of revoked clients. The set of clients revoked within one token
 * lifetime is re-read every few seconds, so a revocation on another instance takes effect here
 * within that interval, and on this instance at once.
 */
@Component
class RevokedClients implements OAuth2TokenValidator<Jwt> {

  private final ApiClientRepository clients;
  private final AuthProperties properties;
  private volatile Set<String> revoked = Set.of();
  private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();

  RevokedClients(ApiClientRepository clients, AuthProperties properties) {
    this.clients = clients;
    this.properties = properties;
  }

  @EventListener
  void revokedNow(ApiClientRevoked event) {
    revokedHere.add(event.clientId());
  }

  @Scheduled(fixedDelayString = "${fleetline.auth.revocation-refresh:5s}")
  void refresh() {
    revoked = Set.copyOf(clients.revokedSince(Instant.now().minus(properties.tokenTtl())));
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt token) {
    String subject = token.getSubject();
    if (subject != null && (revoked.contains(subject) || revokedHere.contains(subject))) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "the client of this token was revoked", null));
    }
    return OAuth2TokenValidatorResult.success();
  }
}
