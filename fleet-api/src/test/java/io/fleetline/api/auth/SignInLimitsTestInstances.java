package io.fleetline.api.auth;

import io.fleetline.api.FleetApiApplication;
import io.fleetline.api.testing.FleetApiTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * What the tests of the shared sign-in limits need: the limits every instance of them runs with,
 * another fleet-api instance, and a browser that signs in from an address of its choosing.
 */
final class SignInLimitsTestInstances {

  /** The sign-in limits of every instance in these tests, for a {@code @TestPropertySource}. */
  static final String LIMITS = "classpath:io/fleetline/api/auth/sign-in-limits.properties";

  static final int NEW_SESSIONS_PER_ADDRESS = 30;
  static final int WRONG_PASSWORDS_PER_ACCOUNT = 5;
  static final int WRONG_PASSWORDS_PER_ADDRESS = 20;
  static final Duration WINDOW = Duration.ofDays(100_000);

  private SignInLimitsTestInstances() {}

  /** fleet-api once more, on the given database and the same broker, with its own signing key. */
  static ConfigurableApplicationContext another(
      Environment environment, String brokers, String databaseUrl, String... more) {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--spring.kafka.bootstrap-servers=" + brokers);
    args.add("--spring.datasource.url=" + databaseUrl);
    args.add(
        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"));
    args.add(
        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"));
    args.add("--fleetline.auth.generate-signing-key=true");
    args.add("--fleetline.auth.issuer=http://fleetline.test");
    args.add("--fleetline.auth.admin-client-id=test-admin");
    args.add("--fleetline.auth.admin-client-secret=" + FleetApiTest.ADMIN_SECRET);
    args.add("--fleetline.api.rate-limit.requests-per-second=100000");
    args.add("--fleetline.webhooks.enabled=false");
    Properties limits = new Properties();
    try (InputStream in =
        new ClassPathResource(LIMITS.substring("classpath:".length())).getInputStream()) {
      limits.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    limits.forEach((name, value) -> args.add("--" + name + "=" + value));
    for (String arg : more) {
      args.add("--" + arg);
    }
    return new SpringApplicationBuilder(FleetApiApplication.class).run(args.toArray(String[]::new));
  }

  static String baseUrl(ConfigurableApplicationContext instance) {
    return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
  }

  /**
   * A browser at a source address of its own (the load balancer's X-Forwarded-For): one cookie jar
   * for every instance, follows no redirects.
   */
  static final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private final String address;
    private final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    Browser(String address) {
      this.address = address;
    }

    HttpResponse<String> get(String url) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", address).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Opens the sign-in form on the instance (a new sign-in session) and posts the email and
     * password to it.
     */
    HttpResponse<String> signIn(String instance, String email, String password) throws Exception {
      HttpResponse<String> form = get(instance + "/console/login");
      if (form.statusCode() != 200) {
        return form;
      }
      Matcher csrf = CSRF.matcher(form.body());
      if (!csrf.find()) {
        throw new AssertionError("no CSRF token in " + form.body());
      }
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("username", email);
      fields.put("password", password);
      fields.put("_csrf", csrf.group(1));
      String body = ConsoleSignInTest.formBody(fields);
      return http.send(
          HttpRequest.newBuilder(URI.create(instance + "/console/login"))
              .header("X-Forwarded-For", address)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
