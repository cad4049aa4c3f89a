package io.fleetline.api.auth;

import io.fleetline.api.user.FleetUserAccessRevoked;
import io.fleetline.api.user.FleetUsers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
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
 * Rejects the unexpired tokens of revoked clients, and those a person held before they were
 * disabled, deleted, or given another role or password. The clients and people revoked within one
 * token lifetime are re-read every few seconds, so a revocation on another instance takes effect
 * here within that interval, and on this instance at once.
 */
@Component
class RevokedClients implements OAuth2TokenValidator<Jwt> {

  private final ApiClientRepository clients;
  private final FleetUsers users;
  private final AuthProperties properties;
  private volatile Set<String> revoked = Set.of();
  private final Set<String> revokedHere = ConcurrentHashMap.newKeySet();
  private volatile Map<String, Instant> peopleRevoked = Map.of();
  private final Map<String, Instant> peopleRevokedHere = new ConcurrentHashMap<>();

  RevokedClients(ApiClientRepository clients, FleetUsers users, AuthProperties properties) {
    this.clients = clients;
    this.users = users;
    this.properties = properties;
  }

  @EventListener
  void revokedNow(ApiClientRevoked event) {
    revokedHere.add(event.clientId());
  }

  @EventListener
  void personRevokedNow(FleetUserAccessRevoked event) {
    peopleRevokedHere.put(event.userId().toString(), Instant.now());
  }

  @Scheduled(fixedDelayString = "${fleetline.auth.revocation-refresh:5s}")
  void refresh() {
    Instant since = Instant.now().minus(properties.tokenTtl());
    revoked = Set.copyOf(clients.revokedSince(since));
    Map<String, Instant> people = new HashMap<>();
    for (var person : users.tokensRevokedSince(since)) {
      people.put(person.userId().toString(), person.at());
    }
    peopleRevoked = people;
    peopleRevokedHere.values().removeIf(at -> at.isBefore(since));
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt token) {
    String subject = token.getSubject();
    if (subject != null && (revoked.contains(subject) || revokedHere.contains(subject))) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "the client of this token was revoked", null));
    }
    if (subject != null && issuedBeforeRevocation(token, subject)) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "the person's access was revoked", null));
    }
    return OAuth2TokenValidatorResult.success();
  }

  /** Whether the token was issued (to the second) no later than its person's revocation. */
  private boolean issuedBeforeRevocation(Jwt token, String subject) {
    Instant at = peopleRevokedHere.get(subject);
    Instant stored = peopleRevoked.get(subject);
    if (at == null || (stored != null && stored.isAfter(at))) {
      at = stored;
    }
    Instant issuedAt = token.getIssuedAt();
    return at != null
        && (issuedAt == null || !issuedAt.isAfter(at.truncatedTo(ChronoUnit.SECONDS)));
  }
}
