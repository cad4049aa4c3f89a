package io.fleetline.systemtest;

import io.fleetline.api.testing.ApiClient;

/** Reads counters from a service's {@code /actuator/prometheus}, as a scrape would. */
final class Prometheus {

  private Prometheus() {}

  /**
   * The sum of every sample of {@code metric} (all label sets) that the service exposes now, 0 when
   * it exposes none yet, -1 when the service does not answer (e.g. while it is down).
   */
  static double sum(ServiceProcess service, String metric) {
    String exposition;
    try {
      ApiClient.Response response =
          new ApiClient(service.baseUrl()).get("/actuator/prometheus", null);
      if (response.status() != 200) {
        return -1;
      }
      exposition = response.body();
    } catch (Exception e) {
      return -1;
    }
    double total = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
