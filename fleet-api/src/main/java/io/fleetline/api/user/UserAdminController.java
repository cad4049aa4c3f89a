package io.fleetline.api.user;

import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.auth.Scopes;
import io.fleetline.api.paging.Page;
import io.fleetline.api.paging.Paging;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fleet's people who sign in to the console: created, listed, changed, disabled and deleted by a
 * platform administrator or by a fleet administrator of that fleet. Password hashes never leave the
 * server; a generated password is shown once, in the creation's answer.
 */
@RestController
@Tag(name = "Administration", description = "Fleets and their API clients")
@RequestMapping("/api/v1/admin/fleets/{fleetId}/users")
class UserAdminController {

  private static final String ROLES = "viewer|manager|fleet_admin";

  private final FleetUsers users;
  private final UserPasswords passwords;
  private final CallerFleet callerFleet;
  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;

  UserAdminController(
      FleetUsers users,
      UserPasswords passwords,
      CallerFleet callerFleet,
      JdbcClient jdbc,
      ApplicationEventPublisher events) {
    this.users = users;
    this.passwords = passwords;
    this.callerFleet = callerFleet;
    this.jdbc = jdbc;
    this.events = events;
  }

  /** A new person; without a password one is generated and answered once. */
  record CreateUser(
      @NotBlank @Size(max = 254) String email,
      @NotBlank @Size(max = 200) String displayName,
      @NotNull
          @Pattern(regexp = ROLES)
          @Schema(allowableValues = {"viewer", "manager", "fleet_admin"})
          String role,
      @Size(max = UserPasswords.MAX_LENGTH) String password) {}

  /** Changes to a person; absent fields stay. */
  record UpdateUser(
      @Size(min = 1, max = 254) String email,
      @Size(min = 1, max = 200) String displayName,
      @Pattern(regexp = ROLES) @Schema(allowableValues = {"viewer", "manager", "fleet_admin"})
          String role,
      Boolean enabled,
      @Size(max = UserPasswords.MAX_LENGTH) String password) {}

  record UserView(
      UUID id,
      UUID fleetId,
      String email,
      String displayName,
      @Schema(allowableValues = {"viewer", "manager", "fleet_admin"}) String role,
      boolean enabled,
      Instant createdAt,
      Instant lastSignedInAt) {
    static UserView of(FleetUser user) {
      return new UserView(
          user.id(),
          user.fleetId(),
          user.email(),
          user.displayName(),
          user.role().value(),
          user.enabled(),
          user.createdAt(),
          user.lastSignedInAt());
    }
  }

  /** The new person, and the generated password when none was given (shown only here). */
  record UserCreated(
      UUID id,
      UUID fleetId,
      String email,
      String displayName,
      String role,
      boolean enabled,
      Instant createdAt,
      String generatedPassword) {}

  @PostMapping
  @Operation(
      operationId = "createUser",
      summary = "Create a person of the fleet who signs in to the console",
      description =
          "Without `password`, a random one is generated and answered once as"
              + " `generatedPassword`. A password has 12 to 128 characters. An email already"
              + " used (in any fleet, whatever its case) is answered 409.")
  ResponseEntity<UserCreated> create(
      @PathVariable UUID fleetId, @Valid @RequestBody CreateUser request, Authentication caller) {
    checkFleet(fleetId, caller);
    String email = email(request.email());
    String generated = request.password() == null ? UserPasswords.generate() : null;
    String password = generated == null ? checked(request.password()) : generated;
    FleetUser user =
        new FleetUser(
            UUID.randomUUID(),
            fleetId,
            email,
            displayName(request.displayName()),
            passwords.hash(password),
            FleetUserRole.of(request.role()).orElseThrow(),
            true,
            Instant.now(),
            null);
    if (!users.insert(user)) {
      throw ApiProblem.conflict("A person with this email exists already.");
    }
    FleetUser stored = users.findById(user.id()).orElseThrow();
    return ResponseEntity.created(
            URI.create("/api/v1/admin/fleets/" + fleetId + "/users/" + user.id()))
        .body(
            new UserCreated(
                stored.id(),
                stored.fleetId(),
                stored.email(),
                stored.displayName(),
                stored.role().value(),
                stored.enabled(),
                stored.createdAt(),
                generated));
  }

  @GetMapping
  @Operation(operationId = "listUsers", summary = "List the fleet's people")
  Page<UserView> list(@PathVariable UUID fleetId, Paging paging, Authentication caller) {
    checkFleet(fleetId, caller);
    List<FleetUser> fetched = users.page(fleetId, paging.afterId(), paging.fetch());
    return paging.page(fetched, u -> u.id().toString()).map(UserView::of);
  }

  @GetMapping("/{userId}")
  @Operation(operationId = "getUser", summary = "Get a person of the fleet")
  UserView get(@PathVariable UUID fleetId, @PathVariable UUID userId, Authentication caller) {
    checkFleet(fleetId, caller);
    return UserView.of(found(fleetId, userId));
  }

  @PatchMapping("/{userId}")
  @Operation(
      operationId = "updateUser",
      summary = "Change, disable or re-enable a person; absent fields stay",
      description =
          "Disabling a person, or changing their role or password, ends their console sign-ins:"
              + " their refresh tokens are refused at once, their access tokens within seconds.")
  UserView update(
      @PathVariable UUID fleetId,
      @PathVariable UUID userId,
      @Valid @RequestBody UpdateUser request,
      Authentication caller) {
    checkFleet(fleetId, caller);
    FleetUser user = found(fleetId, userId);
    FleetUserRole role =
        request.role() == null ? user.role() : FleetUserRole.of(request.role()).orElseThrow();
    boolean enabled = request.enabled() == null ? user.enabled() : request.enabled();
    String hash =
        request.password() == null
            ? user.passwordHash()
            : passwords.hash(checked(request.password()));
    boolean revoke =
        role != user.role() || (user.enabled() && !enabled) || request.password() != null;
    FleetUser changed =
        new FleetUser(
            user.id(),
            fleetId,
            request.email() == null ? user.email() : email(request.email()),
            request.displayName() == null ? user.displayName() : displayName(request.displayName()),
            hash,
            role,
            enabled,
            user.createdAt(),
            user.lastSignedInAt());
    if (!users.update(changed, revoke)) {
      throw ApiProblem.conflict("A person with this email exists already.");
    }
    if (revoke) {
      events.publishEvent(new FleetUserAccessRevoked(userId));
    }
    return UserView.of(users.findById(userId).orElseThrow());
  }

  @DeleteMapping("/{userId}")
  @Operation(operationId = "deleteUser", summary = "Delete a person; their sign-ins end")
  ResponseEntity<Void> delete(
      @PathVariable UUID fleetId, @PathVariable UUID userId, Authentication caller) {
    checkFleet(fleetId, caller);
    if (!users.delete(fleetId, userId)) {
      throw ApiProblem.notFound("User " + userId);
    }
    events.publishEvent(new FleetUserAccessRevoked(userId));
    return ResponseEntity.noContent().build();
  }

  /**
   * A fleet administrator manages only their own fleet; another fleet is answered as a missing one.
   */
  private void checkFleet(UUID fleetId, Authentication caller) {
    boolean platformAdmin = CallerFleet.hasScope(caller, Scopes.PLATFORM_ADMIN);
    if (!platformAdmin && !fleetId.equals(callerFleet.of(caller))) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
    boolean exists =
        jdbc.sql("SELECT count(*) FROM fleets WHERE id = ?")
                .param(fleetId)
                .query(Long.class)
                .single()
            > 0;
    if (!exists) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
  }

  private FleetUser found(UUID fleetId, UUID userId) {
    return users.find(fleetId, userId).orElseThrow(() -> ApiProblem.notFound("User " + userId));
  }

  private static String checked(String password) {
    String problem = UserPasswords.problem(password);
    if (problem != null) {
      throw ApiProblem.badRequest("password", problem);
    }
    return password;
  }

  /** An address with one {@code @}, something either side, and no spaces or control characters. */
  private static String email(String value) {
    String email = value.strip();
    int at = email.indexOf('@');
    if (at < 1
        || at != email.lastIndexOf('@')
        || at == email.length() - 1
        || email.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw ApiProblem.badRequest("email", "not an email address");
    }
    return email;
  }

  private static String displayName(String value) {
    String name = value.strip();
    if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
      throw ApiProblem.badRequest("displayName", "a display name is printable text");
    }
    return name;
  }
}
