package io.fleetline.api.fleet;

import io.fleetline.api.auth.ApiClientRepository;
import io.fleetline.api.auth.ApiClientRepository.ApiClient;
import io.fleetline.api.auth.ApiClientRevoked;
import io.fleetline.api.auth.CallerFleet;
import io.fleetline.api.auth.Scopes;
import io.fleetline.api.limits.RateLimitProperties;
import io.fleetline.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
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

  record FleetView(UUID id, String name) {}

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
        .body(new FleetView(fleet.getId(), fleet.getName()));
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
