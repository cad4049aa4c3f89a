package io.fleetline.db.testing;

import io.fleetline.db.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.testcontainers.DockerClientFactory;

/**
 * Hands out fresh, migrated PostGIS databases to integration tests.
 *
 * <p>The server is found once per JVM, in this order: the JDBC URL in {@code FLEETLINE_TEST_DB_URL}
 * (with {@code FLEETLINE_TEST_DB_USER} / {@code FLEETLINE_TEST_DB_PASSWORD}; the user must be able
 * to create databases), a Testcontainers {@code postgis/postgis} container when a Docker engine
 * answers, otherwise a throwaway cluster of the local PostgreSQL installation under {@code
 * target/}. The migrations run once into a template database; every {@link #newDatabase()} is a
 * copy of it, so tests are isolated from each other and pay only for a file copy.
 */
public final class TestPostgis {

  private static final String RUN_ID =
      UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String TEMPLATE = "fleetline_template_" + RUN_ID;

  private static PostgisServer server;
  private static int databases;

  private TestPostgis() {}

  /** A new database with the newest schema, empty of data, owned by nobody else. */
  public static synchronized TestDatabase newDatabase() {
    PostgisServer server = server();
    String name = "fleetline_test_" + RUN_ID + "_" + (++databases);
    execute(server, "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    return new TestDatabase(server.jdbcUrl(name), server.username(), server.password());
  }

  /**
   * Whether {@link #stopServer()} and {@link #startServer()} can simulate a database outage: only
   * for the local throwaway cluster, which belongs to this JVM.
   */
  public static synchronized boolean canStopServer() {
    return server() instanceof LocalCluster;
  }

  /** Stops the shared test server, cutting every connection; data survive for a restart. */
  public static synchronized void stopServer() {
    if (!(server() instanceof LocalCluster cluster)) {
      throw new UnsupportedOperationException("only the local cluster can be stopped");
    }
    cluster.stop();
  }

  /** Starts the server stopped by {@link #stopServer()} again, same port, same databases. */
  public static synchronized void startServer() {
    if (!(server() instanceof LocalCluster cluster)) {
      throw new UnsupportedOperationException("only the local cluster can be started");
    }
    cluster.restart();
  }

  private static PostgisServer server() {
    if (server == null) {
      server = findServer();
      execute(server, "CREATE DATABASE " + TEMPLATE);
      Flyway.configure()
          .dataSource(server.jdbcUrl(TEMPLATE), server.username(), server.password())
          .locations(Migrations.LOCATION)
          .load()
          .migrate();
      // A template must have no open connections while it is copied; Flyway has closed its own.
      System.out.println("[fleetline-test] PostGIS test databases from " + server.describe());
    }
    return server;
  }

  private static PostgisServer findServer() {
    String url = System.getenv("FLEETLINE_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return ExternalServer.fromEnvironment(url);
    }
    if (dockerAnswers()) {
      return ContainerServer.start();
    }
    return LocalCluster.start();
  }

  private static boolean dockerAnswers() {
    if ("false".equals(System.getenv("FLEETLINE_TEST_DOCKER"))) {
      return false;
    }
    // Asking Testcontainers costs seconds when there is plainly no engine: no socket, no
    // DOCKER_HOST.
    if (System.getenv("DOCKER_HOST") == null
        && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
        && !java.nio.file.Files.exists(
            java.nio.file.Path.of(
                System.getProperty("user.home"), ".docker", "run", "docker.sock"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void execute(PostgisServer server, String sql) {
    try (Connection connection =
            DriverManager.getConnection(
                server.jdbcUrl("postgres"), server.username(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot run '" + sql + "' on " + server.describe() + ": " + e.getMessage(), e);
    }
  }

  /** A server given by the environment: a shared database server the developer runs. */
  private record ExternalServer(String baseUrl, String username, String password)
      implements PostgisServer {

    static ExternalServer fromEnvironment(String url) {
      int slash = url.lastIndexOf('/');
      int query = url.indexOf('?', slash);
      String base = url.substring(0, slash + 1);
      String user = System.getenv().getOrDefault("FLEETLINE_TEST_DB_USER", "postgres");
      String password = System.getenv().getOrDefault("FLEETLINE_TEST_DB_PASSWORD", "");
      return new ExternalServer(
          query < 0 ? base : base + "%s" + url.substring(query), user, password);
    }

    @Override
    public String jdbcUrl(String database) {
      return baseUrl.contains("%s")
          ? String.format(Locale.ROOT, baseUrl, database)
          : baseUrl + database;
    }

    @Override
    public String describe() {
      return "FLEETLINE_TEST_DB_URL (" + baseUrl + ")";
    }
  }
}
