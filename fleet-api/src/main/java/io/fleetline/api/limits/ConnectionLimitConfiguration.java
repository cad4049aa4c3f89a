package io.fleetline.api.limits;

import io.fleetline.api.problem.ProblemResponses;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts the per-address limit in front of the API's web server. */
@Configuration(proxyBeanMethods = false)
class ConnectionLimitConfiguration {

  @Bean
  RequestsPerAddressValve requestsPerAddressValve(
      ConnectionLimitProperties properties, ProblemResponses problems) {
    return new RequestsPerAddressValve(properties, problems);
  }

  @Bean
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> requestsPerAddressLimit(
      RequestsPerAddressValve valve) {
    return factory -> factory.addEngineValves(valve);
  }
}
