package io.fleetline.api.auth;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/** The authorization server's clients: the stored API clients and the console's own client. */
final class ClientsAndConsole implements RegisteredClientRepository {

  private final ApiClientRepository clients;
  private final ConsoleClient console;

  ClientsAndConsole(ApiClientRepository clients, ConsoleClient console) {
    this.clients = clients;
    this.console = console;
  }

  @Override
  public void save(RegisteredClient registeredClient) {
    clients.save(registeredClient);
  }

  @Override
  public RegisteredClient findById(String id) {
    if (console.isConsole(id)) {
      return console.client();
    }
    try {
      return clients.findById(id);
    } catch (IllegalArgumentException notAUuid) {
      return null;
    }
  }

  @Override
  public RegisteredClient findByClientId(String clientId) {
    RegisteredClient client = console.client();
    if (client != null && client.getClientId().equals(clientId)) {
      return client;
    }
    return clients.findByClientId(clientId);
  }
}
