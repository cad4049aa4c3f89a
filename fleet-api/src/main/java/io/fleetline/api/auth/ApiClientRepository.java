package io.fleetline.api.auth;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Repository;

/**
 * The authorization server's clients, kept in {@code api_clients} with hashed secrets. Every client
 * uses the client-credentials grant and receives self-contained JWTs; a revoked client is not
 * found, so it can get no new token.
 */
@Repository
public class ApiClientRepository implements RegisteredClientRepository {

  /** Client setting that carries the client's fleet into the token customizer. */
  static final String FLEET_SETTING = "fleetline.fleet-id";

  /** Client setting that carries the client's own request rate into its tokens. */
  static final String RATE_SETTING = "fleetline.requests-per-second";

  private final JdbcClient jdbc;
  private final AuthProperties properties;

  ApiClientRepository(JdbcClient jdbc, AuthProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /**
   * A client as stored. {@code fleetId} is null for platform administrators, {@code
   * requestsPerSecond} null for the configured default rate.
   */
  public record ApiClient(
      UUID id,
      String clientId,
      String secretHash,
      String name,
      UUID fleetId,
      List<String> scopes,
      Integer requestsPerSecond) {}

  public void insert(ApiClient client) {
    jdbc.sql(
            "INSERT INTO api_clients (id, client_id, secret_hash, name, fleet_id, scopes,"
                + " requests_per_second) VALUES (?, ?, ?, ?, ?, ?::text[], ?)")
        .params(
            client.id(),
            client.clientId(),
            client.secretHash(),
            client.name(),
            client.fleetId(),
            toArrayLiteral(client.scopes()),
            client.requestsPerSecond())
        .update();
  }

  /** Revokes a client of a fleet: it gets no new token, and its tokens stop working. */
  public boolean revoke(UUID fleetId, String clientId) {
    return jdbc.sql(
                "UPDATE api_clients SET revoked_at = now() WHERE fleet_id = ? AND client_id = ?"
                    + " AND revoked_at IS NULL")
            .params(fleetId, clientId)
            .update()
        == 1;
  }

  /** Clients revoked since the given time, whose tokens may still be unexpired. */
  public List<String> revokedSince(Instant since) {
    return jdbc.sql("SELECT client_id FROM api_clients WHERE revoked_at >= ?")
        .param(java.sql.Timestamp.from(since))
        .query(String.class)
        .list();
  }

  public void updateSecretAndScopes(String clientId, String secretHash, Collection<String> scopes) {
    jdbc.sql(
            "UPDATE api_clients SET secret_hash = ?, scopes = ?::text[], revoked_at = NULL"
                + " WHERE client_id = ?")
        .params(secretHash, toArrayLiteral(scopes), clientId)
        .update();
  }

  public Optional<ApiClient> findActive(String clientId) {
    return jdbc.sql(
            "SELECT id, client_id, secret_hash, name, fleet_id, scopes, requests_per_second FROM api_clients"
                + " WHERE client_id = ? AND revoked_at IS NULL")
        .param(clientId)
        .query(ApiClientRepository::mapRow)
        .optional();
  }

  @Override
  public void save(RegisteredClient registeredClient) {
    throw new IllegalStateException(
        "clients are created through the admin API, not by the authorization server");
  }

  @Override
  public RegisteredClient findById(String id) {
    return jdbc.sql(
            "SELECT id, client_id, secret_hash, name, fleet_id, scopes, requests_per_second FROM api_clients"
                + " WHERE id = ? AND revoked_at IS NULL")
        .param(UUID.fromString(id))
        .query(ApiClientRepository::mapRow)
        .optional()
        .map(this::toRegisteredClient)
        .orElse(null);
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    return findActive(clientId).map(this::toRegisteredClient).orElse(null);
  }

  private RegisteredClient toRegisteredClient(ApiClient client) {
    ClientSettings.Builder settings = ClientSettings.builder().requireProofKey(false);
    if (client.fleetId() != null) {
      settings.setting(FLEET_SETTING, client.fleetId().toString());
    }
    if (client.requestsPerSecond() != null) {
      settings.setting(RATE_SETTING, client.requestsPerSecond());
    }
    return RegisteredClient.withId(client.id().toString())
        .clientId(client.clientId())
        .clientSecret(client.secretHash())
        .clientName(client.name())
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(client.scopes()))
        .clientSettings(settings.build())
        .tokenSettings(
            TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(properties.tokenTtl())
                .build())
        .clientIdIssuedAt(Instant.EPOCH)
        .build();
  }

  private static ApiClient mapRow(ResultSet rs, int row) throws SQLException {
    Array scopes = rs.getArray("scopes");
    return new ApiClient(
        rs.getObject("id", UUID.class),
        rs.getString("client_id"),
        rs.getString("secret_hash"),
        rs.getString("name"),
        rs.getObject("fleet_id", UUID.class),
        Arrays.asList((String[]) scopes.getArray()),
        (Integer) rs.getObject("requests_per_second"));
  }

  /** A PostgreSQL array literal; scope names are plain tokens, so no quoting is needed. */
  private static String toArrayLiteral(Collection<String> values) {
    return "{" + String.join(",", values) + "}";
  }
}
