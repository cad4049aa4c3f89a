package io.fleetline.api.auth;

import io.fleetline.api.user.FleetUserAccessRevoked;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The authorization server's record of issued tokens. Client-credentials tokens are self-contained
 * JWTs with nothing to look up later, so they are not recorded at all and that path stays as fast
 * as before. Console sign-ins are recorded in the database ({@code oauth2_authorization}), so that
 * an authorization code or refresh token issued by one instance is honoured by any other; their
 * token values are stored only as SHA-256 hashes. A refresh token that was already exchanged and is
 * presented again was copied: the whole sign-in it belongs to ends.
 */
final class ConsoleAuthorizations implements OAuth2AuthorizationService {

  private static final Logger log = LoggerFactory.getLogger(ConsoleAuthorizations.class);
  private static final String HASHED = "sha256:";

  private final ConsoleClient console;
  private final JdbcOperations jdbc;
  private final JdbcOAuth2AuthorizationService stored;

  ConsoleAuthorizations(ConsoleClient console, JdbcOperations jdbc, ClientsAndConsole clients) {
    this.console = console;
    this.jdbc = jdbc;
    this.stored = new JdbcOAuth2AuthorizationService(jdbc, clients);
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    if (!console.isConsole(authorization.getRegisteredClientId())) {
      return;
    }
    OAuth2Authorization hashed = hashed(authorization);
    rememberReplacedRefreshToken(hashed);
    stored.save(hashed);
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    if (console.isConsole(authorization.getRegisteredClientId())) {
      stored.remove(authorization);
    }
  }

  @Override
  public OAuth2Authorization findById(String id) {
    return console.client() == null ? null : stored.findById(id);
  }

  @Override
  public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
    if (console.client() == null || token == null) {
      return null;
    }
    if (tokenType != null && OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
      return stored.findByToken(token, tokenType);
    }
    String hash = hash(token);
    OAuth2Authorization found = stored.findByToken(hash, tokenType);
    if (found == null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))) {
      endSignInOfReplacedRefreshToken(hash);
    }
    return found == null ? null : withValue(found, hash, token);
  }

  /** Ends every console sign-in of a person, e.g. when they are disabled. */
  @EventListener
  void userAccessRevoked(FleetUserAccessRevoked event) {
    jdbc.update(
        "DELETE FROM oauth2_authorization WHERE principal_name = ?", event.userId().toString());
  }

  /** Forgets sign-ins whose every token has expired, and replaced refresh tokens past theirs. */
  @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
  void forgetExpired() {
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.update(
        "DELETE FROM oauth2_authorization WHERE coalesce(refresh_token_expires_at,"
            + " access_token_expires_at, authorization_code_expires_at) < ?"
            + " AND coalesce(access_token_expires_at, authorization_code_expires_at) < ?",
        now,
        now);
    jdbc.update("DELETE FROM oauth2_used_refresh_tokens WHERE expires_at < ?", now);
  }

  private void rememberReplacedRefreshToken(OAuth2Authorization authorization) {
    OAuth2Authorization.Token<OAuth2RefreshToken> current = authorization.getRefreshToken();
    if (current == null) {
      return;
    }
    List<java.util.Map<String, Object>> previous =
        jdbc.queryForList(
            "SELECT refresh_token_value, refresh_token_expires_at FROM oauth2_authorization"
                + " WHERE id = ?",
            authorization.getId());
    if (previous.isEmpty()) {
      return;
    }
    Object value = previous.get(0).get("refresh_token_value");
    Object expiresAt = previous.get(0).get("refresh_token_expires_at");
    if (value != null && expiresAt != null && !value.equals(current.getToken().getTokenValue())) {
      jdbc.update(
          "INSERT INTO oauth2_used_refresh_tokens (token_hash, authorization_id, expires_at)"
              + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          value,
          authorization.getId(),
          expiresAt);
    }
  }

  private void endSignInOfReplacedRefreshToken(String hash) {
    List<String> ids =
        jdbc.queryForList(
            "SELECT authorization_id FROM oauth2_used_refresh_tokens WHERE token_hash = ?",
            String.class,
            hash);
    for (String id : ids) {
      log.warn(
          "A replaced refresh token of console sign-in {} was presented again: ending that"
              + " sign-in",
          id);
      jdbc.update("DELETE FROM oauth2_authorization WHERE id = ?", id);
    }
  }

  /** The authorization with every token value replaced by its hash (values hashed already stay). */
  private static OAuth2Authorization hashed(OAuth2Authorization authorization) {
    OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
    var code = authorization.getToken(OAuth2AuthorizationCode.class);
    if (code != null) {
      OAuth2AuthorizationCode token = code.getToken();
      builder.token(
          new OAuth2AuthorizationCode(
              hashOnce(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt()));
    }
    var access = authorization.getAccessToken();
    if (access != null) {
      OAuth2AccessToken token = access.getToken();
      builder.token(
          new OAuth2AccessToken(
              token.getTokenType(),
              hashOnce(token.getTokenValue()),
              token.getIssuedAt(),
              token.getExpiresAt(),
              token.getScopes()));
    }
    var refresh = authorization.getRefreshToken();
    if (refresh != null) {
      OAuth2RefreshToken token = refresh.getToken();
      builder.token(
          new OAuth2RefreshToken(
              hashOnce(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt()));
    }
    return builder.build();
  }

  /**
   * The authorization with the presented token's value in place of its hash, as the library looks
   * the presented token up in it (the revocation endpoint does).
   */
  private static OAuth2Authorization withValue(
      OAuth2Authorization authorization, String hash, String value) {
    OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
    var code = authorization.getToken(OAuth2AuthorizationCode.class);
    if (code != null && code.getToken().getTokenValue().equals(hash)) {
      OAuth2AuthorizationCode token = code.getToken();
      builder.token(new OAuth2AuthorizationCode(value, token.getIssuedAt(), token.getExpiresAt()));
    }
    var access = authorization.getAccessToken();
    if (access != null && access.getToken().getTokenValue().equals(hash)) {
      OAuth2AccessToken token = access.getToken();
      builder.token(
          new OAuth2AccessToken(
              token.getTokenType(),
              value,
              token.getIssuedAt(),
              token.getExpiresAt(),
              token.getScopes()));
    }
    var refresh = authorization.getRefreshToken();
    if (refresh != null && refresh.getToken().getTokenValue().equals(hash)) {
      OAuth2RefreshToken token = refresh.getToken();
      builder.token(new OAuth2RefreshToken(value, token.getIssuedAt(), token.getExpiresAt()));
    }
    return builder.build();
  }

  private static String hashOnce(String value) {
    return value.startsWith(HASHED) ? value : hash(value);
  }

  static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HASHED + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
