package io.fleetline.api.fleet;

import io.fleetline.api.auth.ApiClientRepository;
import io.fleetline.api.auth.ApiClientRepository.ApiClient;
import io.fleetline.api.auth.ApiClientRevoked;
import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.auth.Scopes;
import io.fleetline.api.limits.RateLimitProperties;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Platform administration: fleets and their API clients. */
@RestController
@Tag(name = "Administration", description = "Fleets and their API clients")
@RequestMapping("/api/v1/admin/fleets")
class AdminController {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final FleetRepository fleets;
  private final ApiClientRepository clients;
  private final PasswordEncoder passwords;
  private final CallerFleet callerFleet;
  private final ApplicationEventPublisher revocations;
  private final RateLimitProperties rateLimits;

  AdminController(
      FleetRepository fleets,
      ApiClientRepository clients,
      PasswordEncoder passwords,
      CallerFleet callerFleet,
      ApplicationEventPublisher revocations,
      RateLimitProperties rateLimits) {
    this.fleets = fleets;
    this.clients = clients;
    this.passwords = passwords;
    this.callerFleet = callerFleet;
    this.revocations = revocations;
    this.rateLimits = rateLimits;
  }

  record CreateFleet(@NotBlank @Size(max = 200) String name) {}

  /** A fleet; {@code timeZone} is the IANA zone its daily summaries and reports count days in. */
  record FleetView(UUID id, String name, String timeZone) {

    static FleetView of(Fleet fleet) {
      return new FleetView(fleet.getId(), fleet.getName(), fleet.getTimeZone());
    }
  }

  /** Changes to a fleet's settings; an absent field stays as it is. */
  record UpdateFleet(
      @Schema(description = "an IANA time zone id such as Europe/Berlin") @Size(max = 64)
          String timeZone) {}

  /**
   * A new client; {@code requestsPerSecond} overrides the configured default rate, up to the
   * platform's maximum.
   */
  record CreateClient(
      @NotBlank @Size(max = 200) String name,
      @NotEmpty @Size(max = 3) List<String> scopes,
      @Positive @Max(100_000) Integer requestsPerSecond) {}

  record ClientCreated(String clientId, String clientSecret, List<String> scopes) {}

  @PostMapping
  @Transactional
  @Operation(operationId = "createFleet", summary = "Create a fleet")
  ResponseEntity<FleetView> createFleet(@Valid @RequestBody CreateFleet request) {
    Fleet fleet = fleets.save(new Fleet(request.name().strip()));
    return ResponseEntity.created(URI.create("/api/v1/admin/fleets/" + fleet.getId()))
        .body(FleetView.of(fleet));
  }

  @GetMapping("/{fleetId}")
  @Operation(operationId = "getFleet", summary = "Get a fleet and its settings")
  FleetView fleet(@PathVariable UUID fleetId, Authentication caller) {
    return FleetView.of(administered(fleetId, caller));
  }

  /**
   * Changes a fleet's settings. A new time zone applies to the days analytics counts after it has
   * read it (within a minute); days already counted keep their zone.
   */
  @PatchMapping("/{fleetId}")
  @Transactional
  @Operation(
      operationId = "updateFleet",
      summary = "Change a fleet's settings: its time zone",
      description =
          "`timeZone` must be an IANA time zone id (`Europe/Berlin`, `UTC`); anything else,"
              + " offsets such as `+02:00` included, is refused with 400 naming `timeZone`.")
  FleetView updateFleet(
      @PathVariable UUID fleetId, @Valid @RequestBody UpdateFleet request, Authentication caller) {
    Fleet fleet = administered(fleetId, caller);
    if (request.timeZone() != null) {
      fleet.setTimeZone(ianaZone(request.timeZone()));
    }
    return FleetView.of(fleets.save(fleet));
  }

  /** The fleet, if the caller administers it: a platform admin any, a fleet admin its own. */
  private Fleet administered(UUID fleetId, Authentication caller) {
    boolean platformAdmin = CallerFleet.hasScope(caller, Scopes.PLATFORM_ADMIN);
    if (!platformAdmin && !fleetId.equals(callerFleet.of(caller))) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
    return fleets.findById(fleetId).orElseThrow(() -> ApiProblem.notFound("Fleet " + fleetId));
  }

  /** The zone id as the time zone database spells it, or a 400 naming {@code timeZone}. */
  private static String ianaZone(String text) {
    if (!ZoneId.getAvailableZoneIds().contains(text)) {
      throw ApiProblem.badRequest(
          "timeZone", "timeZone must be an IANA time zone id such as Europe/Berlin or UTC");
    }
    return text;
  }

  @PostMapping("/{fleetId}/clients")
  @Transactional
  @Operation(
      operationId = "createClient",
      summary = "Create an API client of a fleet; its secret is shown only here",
      description =
          "`requestsPerSecond` gives the client a request rate of its own instead of the"
              + " platform's default. A rate above the platform's maximum client rate is refused"
              + " with 400 naming `requestsPerSecond`, not lowered silently.")
  ResponseEntity<ClientCreated> createClient(
      @PathVariable UUID fleetId, @Valid @RequestBody CreateClient request, Authentication caller) {
    boolean platformAdmin = CallerFleet.hasScope(caller, Scopes.PLATFORM_ADMIN);
    if (!platformAdmin && !fleetId.equals(callerFleet.of(caller))) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
    if (!fleets.existsById(fleetId)) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
    for (String scope : request.scopes()) {
      if (!Scopes.FLEET_SCOPES.contains(scope)) {
        throw ApiProblem.badRequest(
            "scopes",
            "unknown scope '" + scope + "'; a fleet client may hold " + Scopes.FLEET_SCOPES);
      }
    }
    // Refused rather than clamped, so the administrator learns the client will not get the rate.
    Integer rate = request.requestsPerSecond();
    if (rate != null && rate > rateLimits.maxClientRequestsPerSecond()) {
      throw ApiProblem.badRequest(
          "requestsPerSecond",
          "at most "
              + rateLimits.maxClientRequestsPerSecond()
              + " requests per second may be granted to a client");
    }
    List<String> scopes = request.scopes().stream().distinct().sorted().toList();
    String clientId = "flc_" + random(12);
    String secret = random(32);
    clients.insert(
        new ApiClient(
            UUID.randomUUID(),
            clientId,
            passwords.encode(secret),
            request.name().strip(),
            fleetId,
            scopes,
            request.requestsPerSecond()));
    return ResponseEntity.status(201).body(new ClientCreated(clientId, secret, scopes));
  }

  /** Revokes a client: it gets no new tokens and its current tokens stop working. */
  @DeleteMapping("/{fleetId}/clients/{clientId}")
  @Operation(
      operationId = "revokeClient",
      summary = "Revoke an API client; its tokens stop working")
  ResponseEntity<Void> revokeClient(
      @PathVariable UUID fleetId, @PathVariable String clientId, Authentication caller) {
    boolean platformAdmin = CallerFleet.hasScope(caller, Scopes.PLATFORM_ADMIN);
    if (!platformAdmin && !fleetId.equals(callerFleet.of(caller))) {
      throw ApiProblem.notFound("Fleet " + fleetId);
    }
    if (!clients.revoke(fleetId, clientId)) {
      throw ApiProblem.notFound("Client " + clientId);
    }
    revocations.publishEvent(new ApiClientRevoked(clientId));
    return ResponseEntity.noContent().build();
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
