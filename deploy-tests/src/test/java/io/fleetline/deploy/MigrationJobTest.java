package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.db.testing.TestDatabase;
import io.fleetline.db.testing.TestPostgis;
import io.fleetline.deploy.Manifests.Node;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's migration hook Job, played through outside Kubernetes: the fleet-api jar is unpacked
 * into the image layout exactly as the Dockerfile does it, the init container's copy command runs
 * on it, and the Flyway command line of the Job's image version runs with the Job's environment
 * against an empty PostGIS database.
 */
class MigrationJobTest {

  static final Path WORK = Path.of("target/migration-job").toAbsolutePath();

  @Test
  void theHookJobAppliesTheSchemaFromTheFleetApiImageWithTheFlywayCommandLine() throws Exception {
    Node pod =
        HookRevealingChart.render(Map.of())
            .named("Job", "fleetline-migrate")
            .get("spec.template.spec");
    Node copy = pod.get("initContainers").list().get(0);
    Node flyway = pod.get("containers").list().get(0);
    Map<String, Node> env = HelmChartTest.env(flyway);
    String mount = copy.get("volumeMounts").list().get(0).text("mountPath");
    assertThat(env.get("FLYWAY_JAR_DIRS").text("value")).isEqualTo(mount);
    assertThat(flyway.text("image"))
        .as("the Job runs the Flyway version the services embed")
        .isEqualTo("flyway/flyway:" + System.getProperty("flyway.version"));

    Path app = imageLayout();
    Path migrations = Files.createDirectories(WORK.resolve("migrations"));
    String command =
        copy.get("command")
            .list()
            .get(2)
            .value()
            .toString()
            .replace("/app/", app + "/")
            .replace(mount + "/", migrations + "/");
    assertThat(run(List.of("sh", "-c", command), Map.of())).isZero();
    assertThat(migrations.toFile().list())
        .singleElement()
        .satisfies(jar -> assertThat(jar).startsWith("db-").endsWith(".jar"));

    TestDatabase database = emptyDatabase();
    Map<String, String> jobEnv =
        env.values().stream()
            .filter(e -> e.get("value").exists())
            .collect(Collectors.toMap(e -> e.text("name"), e -> e.text("value")));
    jobEnv.put("FLYWAY_JAR_DIRS", migrations.toString());
    jobEnv.put("FLYWAY_URL", database.jdbcUrl());
    jobEnv.put("FLYWAY_USER", database.username());
    jobEnv.put("FLYWAY_PASSWORD", database.password());
    List<String> cli =
        Stream.concat(
                Stream.of(javaCommand(), "-cp", flywayClasspath(), "org.flywaydb.commandline.Main"),
                flyway.get("args").list().stream().map(a -> a.value().toString()))
            .toList();

    assertThat(run(cli, jobEnv)).isZero();
    try (Connection db =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        Statement sql = db.createStatement()) {
      ResultSet history =
          sql.executeQuery(
              "select count(*), bool_and(success) from flyway_schema_history where version is not null");
      history.next();
      assertThat(history.getInt(1)).isEqualTo(migrationScripts());
      assertThat(history.getBoolean(2)).isTrue();
      ResultSet tables =
          sql.executeQuery(
              "select to_regclass('public.latest_positions') is not null, postgis_version()");
      tables.next();
      assertThat(tables.getBoolean(1)).isTrue();
    }
  }

  private static int migrationScripts() throws Exception {
    try (Stream<Path> scripts =
        Files.list(Repository.module("db").resolve("src/main/resources/db/migration"))) {
      return (int)
          scripts.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }

  /**
   * /app of the image: the four layers of Spring Boot's extraction, copied on top of each other.
   */
  private static Path imageLayout() throws Exception {
    Path jar = Path.of(System.getProperty("fleetline.jar.api"));
    assertThat(jar).as("build fleet-api first (./mvnw package -pl fleet-api)").exists();
    Path extracted = WORK.resolve("extracted");
    Path app = WORK.resolve("app");
    run(List.of("rm", "-rf", extracted.toString(), app.toString()), Map.of());
    String dockerfile = Repository.read(Repository.DOCKERFILE);
    assertThat(dockerfile)
        .contains(
            "java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted");
    assertThat(
            run(
                List.of(
                    javaCommand(),
                    "-Djarmode=tools",
                    "-jar",
                    jar.toString(),
                    "extract",
                    "--layers",
                    "--launcher",
                    "--destination",
                    extracted.toString()),
                Map.of()))
        .isZero();
    Files.createDirectories(app);
    for (String layer :
        List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
      assertThat(run(List.of("cp", "-a", extracted.resolve(layer) + "/.", app + "/"), Map.of()))
          .isZero();
    }
    return app;
  }

  /**
   * A database of its own on the test PostGIS server, emptied of the schema the provider put in.
   */
  private static TestDatabase emptyDatabase() throws Exception {
    TestDatabase database = TestPostgis.newDatabase();
    try (Connection db =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        Statement sql = db.createStatement()) {
      sql.execute("drop schema public cascade");
      sql.execute("create schema public");
    }
    return database;
  }

  /**
   * The Flyway command line and its libraries, without any Fleetline jar: those come by jarDirs.
   */
  private static String flywayClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("/io/fleetline/") && !entry.contains("/target/"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static int run(List<String> command, Map<String, String> environment) throws Exception {
    Files.createDirectories(WORK);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(WORK.resolve("commands.log").toFile()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("%s finished", command.get(0)).isTrue();
    return process.exitValue();
  }
}
