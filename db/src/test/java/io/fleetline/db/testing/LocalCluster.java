package io.fleetline.db.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster made with the local {@code initdb} / {@code pg_ctl} (Debian's
 * PostgreSQL 15 with {@code postgresql-15-postgis-3}), under {@code target/} on a free loopback
 * port, stopped and deleted when the JVM exits. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to, and runs as, the {@code postgres} system user.
 */
final class LocalCluster implements PostgisServer {

  private static final String INSTALL_HINT =
      "install it with: apt-get install -y postgresql-15 postgresql-15-postgis-3"
          + " (or set FLEETLINE_TEST_DB_URL to a PostGIS database you run)";

  private final int port;
  private final Path bin;
  private final Path dataDir;
  private final String options;

  private LocalCluster(int port, Path bin, Path dataDir, String options) {
    this.port = port;
    this.bin = bin;
    this.dataDir = dataDir;
    this.options = options;
  }

  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  void stop() {
    run(
        asUser(
            "root".equals(System.getProperty("user.name")),
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-m",
                "fast",
                "-w",
                "stop")));
  }

  /** Starts the stopped server again on the same port with the same data. */
  void restart() {
    pgCtlStart("root".equals(System.getProperty("user.name")), bin, dataDir, options);
  }

  private static void pgCtlStart(boolean asRoot, Path bin, Path dataDir, String options) {
    run(
        asUser(
            asRoot,
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-o",
                options,
                "-l",
                dataDir.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "start")));
  }

  static LocalCluster start() {
    Path bin = binDirectory();
    requirePostgis(bin);
    Path root = Path.of("target").toAbsolutePath();
    stopLeftovers(bin, root);
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    Path dataDir = dataDirectory(root, asRoot);
    int port = freePort();
    run(
        asUser(
            asRoot,
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync")));
    String options =
        "-p "
            + port
            + " -k "
            + dataDir
            + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
            + " -c full_page_writes=off -c max_connections=300 "
            // e.g. "-c shared_preload_libraries=pg_stat_statements" for a benchmark's statistics
            + System.getProperty("fleetline.test.postgresOptions", "");
    pgCtlStart(asRoot, bin, dataDir, options);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stopAndDelete(bin, dataDir), "stop-test-postgis"));
    return new LocalCluster(port, bin, dataDir, options);
  }

  /**
   * {@code target/postgis-<pid>}, owned by the postgres user when we are root. When that user
   * cannot reach the checkout (a home directory closed to others, say), a directory under the
   * system's temporary directory is used instead.
   */
  private static Path dataDirectory(Path root, boolean asRoot) {
    try {
      Path dataDir = root.resolve("postgis-" + ProcessHandle.current().pid());
      Files.createDirectories(dataDir);
      if (!asRoot) {
        return dataDir;
      }
      run(List.of("chown", "postgres:postgres", dataDir.toString()));
      if (run(asUser(true, List.of("test", "-w", dataDir.toString())), false) == 0) {
        return dataDir;
      }
      Path fallback = Files.createTempDirectory("fleetline-postgis-");
      run(List.of("chown", "postgres:postgres", fallback.toString()));
      System.out.println(
          "[fleetline-test] the postgres user cannot reach " + dataDir + "; using " + fallback);
      return fallback;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public String username() {
    return "postgres";
  }

  @Override
  public String password() {
    return "";
  }

  @Override
  public String describe() {
    return "a local throwaway cluster on port " + port;
  }

  private static Path binDirectory() {
    String configured = System.getenv("FLEETLINE_PG_BINDIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString())))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      } catch (IOException | NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin; "
            + INSTALL_HINT);
  }

  private static void requirePostgis(Path bin) {
    // Debian layout: /usr/lib/postgresql/15/bin -> /usr/share/postgresql/15/extension
    String version = bin.getParent().getFileName().toString();
    Path control = Path.of("/usr/share/postgresql", version, "extension", "postgis.control");
    if (bin.startsWith("/usr/lib/postgresql") && !Files.exists(control)) {
      throw new IllegalStateException(
          "PostgreSQL "
              + version
              + " is installed but the PostGIS extension is not ("
              + control
              + " is missing); install it with: apt-get install -y postgresql-"
              + version
              + "-postgis-3");
    }
  }

  /** Stops clusters that a killed earlier test run left behind, so they do not pile up. */
  private static void stopLeftovers(Path bin, Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("postgis-"))
          .filter(d -> !isAlive(d))
          .forEach(d -> stopAndDelete(bin, d));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isAlive(Path dataDir) {
    try {
      long owner = Long.parseLong(dataDir.getFileName().toString().substring("postgis-".length()));
      return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void stopAndDelete(Path bin, Path dataDir) {
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      run(
          asUser(
              asRoot,
              List.of(
                  bin.resolve("pg_ctl").toString(),
                  "-D",
                  dataDir.toString(),
                  "-m",
                  "immediate",
                  "-w",
                  "stop")),
          false);
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: target/ is build output
    }
  }

  private static List<String> asUser(boolean asRoot, List<String> command) {
    if (!asRoot) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static void run(List<String> command) {
    run(command, true);
  }

  private static int run(List<String> command, boolean mustSucceed) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      if (mustSucceed && process.exitValue() != 0) {
        throw new IllegalStateException(
            "failed ("
                + process.exitValue()
                + "): "
                + String.join(" ", command)
                + "\n"
                + new String(output, StandardCharsets.UTF_8));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + command.get(0) + " (" + e.getMessage() + "); " + INSTALL_HINT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
