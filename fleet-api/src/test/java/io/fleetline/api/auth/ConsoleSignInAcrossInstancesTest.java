package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.FleetApiApplication;
import io.fleetline.api.auth.ConsoleSignInTest.Pkce;
import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import tools.jackson.databind.JsonNode;

/**
 * Two fleet-api instances on one database, as behind a load balancer without sticky sessions: a
 * browser whose requests land on either of them signs in, the console gets and exchanges its code
 * and refreshes its tokens, and signing out on one instance ends the sign-in on the other.
 */
class ConsoleSignInAcrossInstancesTest extends FleetApiTest {

  @Autowired Environment environment;
  @Autowired JdbcIndexedSessionRepository sessions;

  ConfigurableApplicationContext second;
  String a;
  String b;
  String email;

  @BeforeAll
  void secondInstanceAndAPerson() throws Exception {
    second = secondInstance();
    a = "http://127.0.0.1:" + port;
    b = "http://127.0.0.1:" + second.getEnvironment().getProperty("local.server.port");
    email = "roaming-" + UUID.randomUUID() + "@fleet-a.test";
    ApiClient.Response created =
        api.post(
            "/api/v1/admin/fleets/" + fleetId + "/users",
            adminToken,
            "{\"email\":\""
                + email
                + "\",\"displayName\":\"Roaming\",\"role\":\"fleet_admin\",\"password\":\""
                + ConsoleSignInTest.PASSWORD
                + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  void stopSecondInstance() {
    if (second != null) {
      second.close();
    }
  }

  @Test
  void signInBegunOnOneInstanceContinuesOnTheOtherThroughCodeAndRefresh() throws Exception {
    Browser browser = new Browser();
    Pkce pkce = new Pkce();
    HttpResponse<String> authorize =
        browser.get(a + ConsoleSignInTest.authorizeUrl(pkce, REDIRECT));
    assertThat(authorize.statusCode()).isEqualTo(302);
    assertThat(authorize.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");

    // The form (and its CSRF token) from B, the password posted to A: one session for both.
    String csrf = browser.csrfToken(b);
    HttpResponse<String> signedIn = browser.submit(a, email, ConsoleSignInTest.PASSWORD, csrf);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    String waiting = signedIn.headers().firstValue("Location").orElseThrow();
    assertThat(waiting).startsWith(a + "/oauth2/authorize?");

    // The authorization request A remembered is answered with a code by B.
    HttpResponse<String> redirect = browser.get(b + waiting.substring(a.length()));
    assertThat(redirect.statusCode()).isEqualTo(302);
    String code = code(redirect);

    HttpResponse<String> token = browser.exchange(a, code, pkce.verifier);
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    JsonNode tokens = FleetlineJson.mapper().readTree(token.body());
    assertThat(api.get("/api/v1/vehicles", tokens.get("access_token").stringValue()).status())
        .isEqualTo(200);

    HttpResponse<String> refreshed = refresh(b, tokens.get("refresh_token").stringValue());
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonNode next = FleetlineJson.mapper().readTree(refreshed.body());
    assertThat(
            new ApiClient(b)
                .get("/api/v1/vehicles", next.get("access_token").stringValue())
                .status())
        .isEqualTo(200);
  }

  @Test
  void signingOutOnOneInstanceEndsTheSignInOnTheOther() throws Exception {
    Browser browser = new Browser();
    Pkce pkce = new Pkce();
    JsonNode tokens = browser.signIn(a, pkce);
    String refreshToken = tokens.get("refresh_token").stringValue();
    // Signed in: B sends the browser straight back with a code, without asking again.
    HttpResponse<String> again =
        browser.get(b + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    assertThat(again.headers().firstValue("Location").orElseThrow())
        .startsWith(REDIRECT + "?code=");

    String cookie = browser.sessionCookie();
    HttpResponse<String> logout =
        browser.post(b, "/console/logout", Map.of("refresh_token", refreshToken));
    assertThat(logout.statusCode()).isEqualTo(204);

    // Even a copy of the cookie the browser just dropped is signed in nowhere any more.
    Browser copy = new Browser();
    copy.cookies.getCookieStore().add(URI.create(a), sessionCookie(cookie));
    HttpResponse<String> afterwards =
        copy.get(a + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    assertThat(afterwards.statusCode()).isEqualTo(302);
    assertThat(afterwards.headers().firstValue("Location").orElseThrow())
        .endsWith("/console/login");
    assertThat(refresh(a, refreshToken).statusCode()).isEqualTo(400);
  }

  @Test
  void sessionIdFromBeforeTheSignInIsNotSignedInOnTheOtherInstance() throws Exception {
    Browser browser = new Browser();
    browser.get(a + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    String csrf = browser.csrfToken(a);
    String before = browser.sessionCookie();
    HttpResponse<String> signedIn = browser.submit(a, email, ConsoleSignInTest.PASSWORD, csrf);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(browser.sessionCookie()).isNotNull().isNotEqualTo(before);

    // Someone who planted the earlier id in the browser has nothing on B.
    Browser planted = new Browser();
    planted.cookies.getCookieStore().add(URI.create(b), sessionCookie(before));
    HttpResponse<String> authorize =
        planted.get(b + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    assertThat(authorize.statusCode()).isEqualTo(302);
    assertThat(authorize.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
  }

  @Test
  void signInSessionCookieIsHttpOnlySameSiteLaxForTheBrowsersSessionAndSecureBehindHttps()
      throws Exception {
    HttpResponse<String> plain =
        new Browser().get(a + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    String cookie = setCookie(plain);
    assertThat(cookie).startsWith("JSESSIONID=").contains("; Path=/").contains("; HttpOnly");
    assertThat(cookie).containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
    // A session cookie: gone when the browser closes; the server forgets it after 30 idle minutes.
    assertThat(cookie).doesNotContain("Max-Age").doesNotContain("Expires");
    assertThat(maxInactiveSeconds(sessionIdOf(cookie))).isEqualTo(30 * 60);

    HttpResponse<String> proxied =
        new Browser()
            .http.send(
                HttpRequest.newBuilder(
                        URI.create(b + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT)))
                    .header("X-Forwarded-Proto", "https")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(setCookie(proxied)).contains("; Secure").contains("; HttpOnly");
  }

  @Test
  void expiredSignInSessionsAreDeleted() throws Exception {
    Browser browser = new Browser();
    browser.get(a + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    String id = browser.sessionId();
    assertThat(maxInactiveSeconds(id)).isPositive();
    jdbc.sql("UPDATE console_sessions SET expiry_time = 0 WHERE session_id = ?").param(id).update();

    sessions.cleanUpExpiredSessions();

    assertThat(
            jdbc.sql("SELECT count(*) FROM console_sessions WHERE session_id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM console_sessions_attributes a WHERE NOT EXISTS (SELECT 1"
                        + " FROM console_sessions s WHERE s.primary_id = a.session_primary_id)")
                .query(Long.class)
                .single())
        .isZero();
    HttpResponse<String> authorize =
        browser.get(b + ConsoleSignInTest.authorizeUrl(new Pkce(), REDIRECT));
    assertThat(authorize.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
  }

  @Test
  void apiAndClientCredentialsRequestsMakeNoSessionEvenWithTheCookie() throws Exception {
    Browser browser = new Browser();
    JsonNode tokens = browser.signIn(a, new Pkce());
    String access = tokens.get("access_token").stringValue();
    long before = sessionRows();

    for (String instance : List.of(a, b)) {
      HttpResponse<String> vehicles =
          browser.http.send(
              HttpRequest.newBuilder(URI.create(instance + "/api/v1/vehicles"))
                  .header("Authorization", "Bearer " + (instance.equals(a) ? access : tokenOn(b)))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(vehicles.statusCode()).isEqualTo(200);
      assertThat(vehicles.headers().allValues("Set-Cookie")).isEmpty();
      HttpResponse<String> withoutToken = new Browser().get(instance + "/api/v1/vehicles");
      assertThat(withoutToken.statusCode()).isEqualTo(401);
      assertThat(withoutToken.headers().allValues("Set-Cookie")).isEmpty();
    }
    assertThat(new ApiClient(b).token("test-admin", ADMIN_SECRET, "platform.admin")).isNotBlank();

    assertThat(sessionRows()).isEqualTo(before);
  }

  // ---------------------------------------------------------------------------------------------

  private static final String REDIRECT = ConsoleSignInTest.REDIRECT;

  /** A token of a new read-only client of the fleet, issued by the given instance. */
  private String tokenOn(String instance) throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read");
    return new ApiClient(instance)
        .token(
            client.get("clientId").stringValue(),
            client.get("clientSecret").stringValue(),
            "fleet.read");
  }

  private long sessionRows() {
    return jdbc.sql("SELECT count(*) FROM console_sessions").query(Long.class).single();
  }

  private int maxInactiveSeconds(String sessionId) {
    return jdbc.sql("SELECT max_inactive_interval FROM console_sessions WHERE session_id = ?")
        .param(sessionId)
        .query(Integer.class)
        .single();
  }

  private static String setCookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("JSESSIONID="))
        .findFirst()
        .orElseThrow();
  }

  private static String sessionIdOf(String setCookie) {
    return decoded(setCookie.substring("JSESSIONID=".length(), setCookie.indexOf(';')));
  }

  private static String decoded(String cookieValue) {
    return new String(Base64.getDecoder().decode(cookieValue), StandardCharsets.UTF_8);
  }

  private static HttpCookie sessionCookie(String value) {
    HttpCookie cookie = new HttpCookie("JSESSIONID", value);
    cookie.setPath("/");
    cookie.setVersion(0);
    return cookie;
  }

  private static String code(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?").contains("state=st4te");
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertThat(code.find()).as(location).isTrue();
    return URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> refresh(String instance, String refreshToken) throws Exception {
    return new Browser()
        .post(
            instance,
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                refreshToken,
                "client_id",
                ConsoleSignInTest.CLIENT));
  }

  /** fleet-api once more, on the same database and broker, with its own signing key. */
  private ConfigurableApplicationContext secondInstance() {
    return new SpringApplicationBuilder(FleetApiApplication.class)
        .run(
            "--server.port=0",
            // As behind a TLS-terminating proxy: X-Forwarded-Proto says whether the browser used
            // https.
            "--server.forward-headers-strategy=native",
            "--spring.kafka.bootstrap-servers=" + brokers,
            "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
            "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
            "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"),
            "--fleetline.auth.generate-signing-key=true",
            "--fleetline.auth.issuer=http://fleetline.test",
            "--fleetline.auth.admin-client-id=test-admin",
            "--fleetline.auth.admin-client-secret=" + ADMIN_SECRET,
            "--fleetline.api.rate-limit.requests-per-second=100000",
            "--fleetline.webhooks.enabled=false");
  }

  /** A browser: one cookie jar for both instances (one host), follows no redirects. */
  final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    final CookieManager cookies = new CookieManager();
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(String url) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String instance, String path, Map<String, String> form)
        throws Exception {
      String body = ConsoleSignInTest.formBody(form);
      return http.send(
          HttpRequest.newBuilder(URI.create(instance + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie's value, as the browser sends it. */
    String sessionCookie() {
      return cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("JSESSIONID"))
          .map(HttpCookie::getValue)
          .findFirst()
          .orElse(null);
    }

    /** The session id the cookie carries (its value is the id in base64). */
    String sessionId() {
      String value = sessionCookie();
      return value == null ? null : decoded(value);
    }

    String csrfToken(String instance) throws Exception {
      HttpResponse<String> form = get(instance + "/console/login");
      assertThat(form.statusCode()).isEqualTo(200);
      Matcher csrf = CSRF.matcher(form.body());
      assertThat(csrf.find()).as(form.body()).isTrue();
      return csrf.group(1);
    }

    HttpResponse<String> submit(String instance, String email, String password, String csrf)
        throws Exception {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("username", email);
      fields.put("password", password);
      fields.put("_csrf", csrf);
      return post(instance, "/console/login", fields);
    }

    HttpResponse<String> exchange(String instance, String code, String verifier) throws Exception {
      return post(
          instance,
          "/oauth2/token",
          Map.of(
              "grant_type", "authorization_code",
              "code", code,
              "redirect_uri", REDIRECT,
              "client_id", ConsoleSignInTest.CLIENT,
              "code_verifier", verifier));
    }

    /** The whole sign-in on one instance. */
    JsonNode signIn(String instance, Pkce pkce) throws Exception {
      get(instance + ConsoleSignInTest.authorizeUrl(pkce, REDIRECT));
      String csrf = csrfToken(instance);
      HttpResponse<String> signedIn = submit(instance, email, ConsoleSignInTest.PASSWORD, csrf);
      assertThat(signedIn.statusCode()).isEqualTo(302);
      HttpResponse<String> redirect = get(signedIn.headers().firstValue("Location").orElseThrow());
      HttpResponse<String> token = exchange(instance, code(redirect), pkce.verifier);
      assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
      return FleetlineJson.mapper().readTree(token.body());
    }
  }
}
