package io.fleetline.api.auth;

import io.fleetline.api.problem.ApiProblem;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** Reads the caller's fleet from its token; every fleet-scoped query starts here. */
@Component
public class CallerFleet {

  private final String claim;

  CallerFleet(AuthProperties properties) {
    this.claim = properties.fleetClaim();
  }

  /** The caller's fleet id; a token without one may not touch fleet data (403). */
  public UUID of(Authentication authentication) {
    if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
      String value = jwt.getClaimAsString(claim);
      if (value != null) {
        try {
          return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
          throw ApiProblem.forbidden("The token's '" + claim + "' claim is not a fleet id.");
        }
      }
    }
    throw ApiProblem.forbidden("The token carries no fleet ('" + claim + "' claim).");
  }

  /** Whether the caller holds the given scope. */
  public static boolean hasScope(Authentication authentication, String scope) {
    String authority = Scopes.authority(scope);
    return authentication != null
        && authentication.getAuthorities().stream()
            .anyMatch(a -> authority.equals(a.getAuthority()));
  }
}
