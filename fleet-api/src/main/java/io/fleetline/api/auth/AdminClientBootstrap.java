package io.fleetline.api.auth;

import io.fleetline.api.auth.ApiClientRepository.ApiClient;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates (or re-keys) the platform administrator client from the operator's configuration, so a
 * fresh installation has someone who can create fleets.
 */
@Component
class AdminClientBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(AdminClientBootstrap.class);

  private final ApiClientRepository clients;
  private final AuthProperties properties;
  private final PasswordEncoder passwords;

  AdminClientBootstrap(
      ApiClientRepository clients, AuthProperties properties, PasswordEncoder passwords) {
    this.clients = clients;
    this.properties = properties;
    this.passwords = passwords;
  }

  @Override
  public void run(ApplicationArguments args) {
    String secret = properties.adminClientSecret();
    if (secret == null || secret.isBlank()) {
      log.info("No platform administrator client configured (fleetline.auth.admin-client-secret)");
      return;
    }
    if (secret.length() < 16) {
      throw new IllegalStateException("fleetline.auth.admin-client-secret must be 16+ characters");
    }
    String clientId = properties.adminClientId();
    List<String> scopes = List.of(Scopes.PLATFORM_ADMIN);
    var existing = clients.findActive(clientId);
    if (existing.isEmpty()) {
      try {
        clients.insert(
            new ApiClient(
                UUID.randomUUID(),
                clientId,
                passwords.encode(secret),
                "Platform administrator",
                null,
                scopes,
                null));
        log.info("Created the platform administrator client '{}'", clientId);
        return;
      } catch (org.springframework.dao.DuplicateKeyException e) {
        // revoked earlier, or another instance created it just now: fall through and re-key
      }
    } else if (existing.get().fleetId() == null
        && passwords.matches(secret, existing.get().secretHash())) {
      return;
    }
    clients.updateSecretAndScopes(clientId, passwords.encode(secret), scopes);
    log.info("Updated the secret of the platform administrator client '{}'", clientId);
  }
}
