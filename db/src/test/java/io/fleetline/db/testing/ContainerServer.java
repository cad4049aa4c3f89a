package io.fleetline.db.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A {@code postgis/postgis} container, used when a Docker engine answers. */
final class ContainerServer implements PostgisServer {

  /** Pinned: PostgreSQL 15 with PostGIS 3.5, the versions the local cluster uses too. */
  static final DockerImageName IMAGE =
      DockerImageName.parse("postgis/postgis:15-3.5").asCompatibleSubstituteFor("postgres");

  private final PostgreSQLContainer container;

  private ContainerServer(PostgreSQLContainer container) {
    this.container = container;
  }

  static ContainerServer start() {
    PostgreSQLContainer container =
        new PostgreSQLContainer(IMAGE)
            .withDatabaseName("postgres")
            .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
    container.start();
    return new ContainerServer(container);
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + container.getHost()
        + ":"
        + container.getMappedPort(5432)
        + "/"
        + database;
  }

  @Override
  public String username() {
    return container.getUsername();
  }

  @Override
  public String password() {
    return container.getPassword();
  }

  @Override
  public String describe() {
    return "container " + IMAGE;
  }
}
