package io.fleetline.api.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The fleets' people in {@code fleet_users}; emails are matched whatever their case. */
@Repository
public class FleetUsers {

  private static final String COLUMNS =
      "id, fleet_id, email, display_name, password_hash, role, enabled, created_at,"
          + " last_signed_in_at";

  private final JdbcClient jdbc;

  FleetUsers(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new person; false when the email is taken already. */
  boolean insert(FleetUser user) {
    return jdbc.sql(
                "INSERT INTO fleet_users (id, fleet_id, email, display_name, password_hash, role,"
                    + " enabled) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .params(
                user.id(),
                user.fleetId(),
                user.email(),
                user.displayName(),
                user.passwordHash(),
                user.role().value(),
                user.enabled())
            .update()
        == 1;
  }

  public Optional<FleetUser> findByEmail(String email) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM fleet_users WHERE lower(email) = lower(?)")
        .param(email)
        .query(FleetUsers::map)
        .optional();
  }

  public Optional<FleetUser> findById(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM fleet_users WHERE id = ?")
        .param(id)
        .query(FleetUsers::map)
        .optional();
  }

  Optional<FleetUser> find(UUID fleetId, UUID id) {
    return findById(id).filter(u -> u.fleetId().equals(fleetId));
  }

  /** The fleet's people in id order after {@code afterId}, at most {@code limit}. */
  List<FleetUser> page(UUID fleetId, UUID afterId, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM fleet_users WHERE fleet_id = ? AND (?::uuid IS NULL OR id > ?::uuid)"
                + " ORDER BY id LIMIT ?")
        .params(fleetId, afterId, afterId, limit)
        .query(FleetUsers::map)
        .list();
  }

  /**
   * Stores changed fields; {@code revokeTokens} also refuses every token issued to the person up to
   * now. False when the email is taken by someone else.
   */
  boolean update(FleetUser user, boolean revokeTokens) {
    return jdbc.sql(
                "UPDATE fleet_users SET email = ?, display_name = ?, password_hash = ?, role = ?,"
                    + " enabled = ?, updated_at = now(), tokens_revoked_at = CASE WHEN ? THEN"
                    + " now() ELSE tokens_revoked_at END WHERE id = ? AND NOT EXISTS (SELECT 1"
                    + " FROM fleet_users o WHERE lower(o.email) = lower(?) AND o.id <> ?)")
            .params(
                user.email(),
                user.displayName(),
                user.passwordHash(),
                user.role().value(),
                user.enabled(),
                revokeTokens,
                user.id(),
                user.email(),
                user.id())
            .update()
        == 1;
  }

  boolean delete(UUID fleetId, UUID id) {
    return jdbc.sql("DELETE FROM fleet_users WHERE fleet_id = ? AND id = ?")
            .params(fleetId, id)
            .update()
        == 1;
  }

  public void signedIn(UUID id) {
    jdbc.sql("UPDATE fleet_users SET last_signed_in_at = now() WHERE id = ?").param(id).update();
  }

  /** People whose tokens were revoked since the given time, with the time of the revocation. */
  public List<TokensRevoked> tokensRevokedSince(Instant since) {
    return jdbc.sql("SELECT id, tokens_revoked_at FROM fleet_users WHERE tokens_revoked_at >= ?")
        .param(Timestamp.from(since))
        .query(
            (rs, row) ->
                new TokensRevoked(
                    rs.getObject("id", UUID.class),
                    rs.getTimestamp("tokens_revoked_at").toInstant()))
        .list();
  }

  /** Tokens of a person issued up to {@code at} are refused. */
  public record TokensRevoked(UUID userId, Instant at) {}

  private static FleetUser map(ResultSet rs, int row) throws SQLException {
    Timestamp lastSignIn = rs.getTimestamp("last_signed_in_at");
    return new FleetUser(
        rs.getObject("id", UUID.class),
        rs.getObject("fleet_id", UUID.class),
        rs.getString("email"),
        rs.getString("display_name"),
        rs.getString("password_hash"),
        FleetUserRole.of(rs.getString("role")).orElseThrow(),
        rs.getBoolean("enabled"),
        rs.getTimestamp("created_at").toInstant(),
        lastSignIn == null ? null : lastSignIn.toInstant());
  }
}
