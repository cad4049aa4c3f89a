package io.fleetline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard's structure. That its metric names are ones the services really expose is
 * checked against the running services by {@code MetricsIT} in system-tests.
 */
class GrafanaDashboardTest {

  /** A metric selector: a name directly followed by its label matchers. */
  static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

  final JsonNode dashboard = new ObjectMapper().readTree(Repository.read(Repository.DASHBOARD));

  @Test
  void everyPanelQueriesPrometheusThroughTheDatasourceVariable() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      if (panel.path("type").asString().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
      assertThat(panel.path("targets").size()).as(panel.path("title").asString()).isPositive();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asString();
        assertThat(balanced(expr)).as(expr).isTrue();
        assertThat(SELECTOR.matcher(expr).find()).as("selects a metric: %s", expr).isTrue();
      }
    }
    assertThat(dashboard.path("templating").path("list").get(0).path("type").asString())
        .isEqualTo("datasource");
  }

  @Test
  void coversTheFiguresAnOperatorWatches() {
    assertThat(metricNames())
        .contains(
            "fleetline_ingest_pings_accepted_total",
            "fleetline_ingest_pings_rejected_total",
            "kafka_consumer_fetch_manager_records_lag",
            "fleetline_routing_batch_size_count",
            "fleetline_routing_received_to_stored_seconds_bucket",
            "http_server_requests_seconds_count");
    assertThat(exprs())
        .anySatisfy(e -> assertThat(e).contains("sum by (reason, protocol)"))
        .anySatisfy(e -> assertThat(e).contains("histogram_quantile(0.99"))
        .anySatisfy(e -> assertThat(e).contains("status=~\"5..\""));
  }

  Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    for (String expr : exprs()) {
      Matcher m = SELECTOR.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  List<String> exprs() {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asString());
      }
    }
    return exprs;
  }

  private static boolean balanced(String expr) {
    int round = 0;
    int curly = 0;
    for (char c : expr.toCharArray()) {
      round += c == '(' ? 1 : c == ')' ? -1 : 0;
      curly += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (round < 0 || curly < 0) {
        return false;
      }
    }
    return round == 0 && curly == 0;
  }
}
