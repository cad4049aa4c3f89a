package io.fleetline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the Fleetline repository that the deployment artefacts are checked against. */
final class Repository {

  static final Path ROOT =
      Path.of(System.getProperty("fleetline.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = ROOT.resolve("deploy/helm/fleetline");
  static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  static final Path DOCKERFILE = ROOT.resolve("deploy/docker/Dockerfile");
  static final Path HEALTHCHECK = ROOT.resolve("deploy/docker/healthcheck.sh");
  static final Path DASHBOARD = ROOT.resolve("deploy/grafana/fleetline.json");

  private Repository() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The source folder of a service module, e.g. {@code ingest-service}. */
  static Path module(String name) {
    return ROOT.resolve(name);
  }
}
