package io.fleetline.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetline.api.testing.ApiClient;
import io.fleetline.api.testing.FleetApiTest;
import io.fleetline.common.FleetlineJson;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * People sign in to the console with the authorization-code grant and PKCE against the embedded
 * server, through its sign-in form, over real HTTP as a browser would (cookies, no redirects
 * followed), and keep signed in with refresh tokens that are replaced at each use.
 */
class ConsoleSignInTest extends FleetApiTest {

  static final String CLIENT = "fleetline-console";
  static final String REDIRECT = "http://fleetline.test/console/";
  static final String PASSWORD = "correct horse battery staple";

  String base;
  String adminEmail;
  String adminId;
  String viewerEmail;
  String vehicleId;

  @BeforeAll
  void people() throws Exception {
    base = "http://127.0.0.1:" + port;
    adminEmail = "admin-" + UUID.randomUUID() + "@fleet-a.test";
    adminId = createUser(fleetId, adminEmail, "fleet_admin", PASSWORD).get("id").stringValue();
    viewerEmail = "viewer-" + UUID.randomUUID() + "@fleet-a.test";
    createUser(fleetId, viewerEmail, "viewer", PASSWORD);
    vehicleId = createVehicle(fleetToken, "Console van");
    createVehicle(otherFleetToken, "Other fleet's van");
  }

  @Test
  void signedInPersonGetsTokensForTheirOwnFleetOnly() throws Exception {
    Browser browser = new Browser();
    Pkce pkce = new Pkce();
    JsonNode tokens = browser.signIn(adminEmail, PASSWORD, pkce);

    String access = tokens.get("access_token").stringValue();
    assertThat(tokens.get("refresh_token").stringValue()).isNotBlank();
    JsonNode claims = claims(access);
    assertThat(claims.get("sub").stringValue()).isEqualTo(adminId);
    assertThat(claims.get("fleet_id").stringValue()).isEqualTo(fleetId);
    assertThat(claims.get("email").stringValue()).isEqualTo(adminEmail);
    assertThat(claims.get("name").stringValue()).isEqualTo("Person " + adminEmail);
    assertThat(claims.get("aud").toString()).contains("fleetline-api");

    ApiClient.Response vehicles = api.get("/api/v1/vehicles", access);
    assertThat(vehicles.status()).isEqualTo(200);
    assertThat(vehicles.body()).contains(vehicleId).doesNotContain("Other fleet's van");
    assertThat(api.get("/api/v1/admin/fleets/" + otherFleetId + "/users", access).status())
        .isEqualTo(404);
  }

  @Test
  void usedRefreshTokenIsRefusedAndPresentingItAgainEndsTheSignIn() throws Exception {
    JsonNode tokens = new Browser().signIn(adminEmail, PASSWORD, new Pkce());
    String first = tokens.get("refresh_token").stringValue();

    HttpResponse<String> refreshed = refresh(first);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonNode next = FleetlineJson.mapper().readTree(refreshed.body());
    String second = next.get("refresh_token").stringValue();
    assertThat(second).isNotEqualTo(first);
    assertThat(api.get("/api/v1/vehicles", next.get("access_token").stringValue()).status())
        .isEqualTo(200);

    HttpResponse<String> reused = refresh(first);
    assertThat(reused.statusCode()).isEqualTo(400);
    assertThat(reused.body()).contains("invalid_grant");
    // The copy was presented after its replacement: the replacement is refused as well.
    assertThat(refresh(second).statusCode()).isEqualTo(400);
  }

  @Test
  void logoutRevokesTheRefreshTokenAndEndsTheSignInSession() throws Exception {
    Browser browser = new Browser();
    JsonNode tokens = browser.signIn(adminEmail, PASSWORD, new Pkce());
    String refreshToken = tokens.get("refresh_token").stringValue();

    HttpResponse<String> logout =
        browser.post("/console/logout", Map.of("refresh_token", refreshToken));
    assertThat(logout.statusCode()).isEqualTo(204);

    assertThat(refresh(refreshToken).statusCode()).isEqualTo(400);
    // The browser's sign-in session is over: authorizing again asks for the password.
    HttpResponse<String> again = browser.get(authorizeUrl(new Pkce(), REDIRECT));
    assertThat(again.statusCode()).isEqualTo(302);
    assertThat(again.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
  }

  @Test
  void revocationEndpointRevokesAPublicClientsRefreshToken() throws Exception {
    JsonNode tokens = new Browser().signIn(adminEmail, PASSWORD, new Pkce());
    String refreshToken = tokens.get("refresh_token").stringValue();

    HttpResponse<String> revoked =
        new Browser()
            .post(
                "/oauth2/revoke",
                Map.of(
                    "token",
                    refreshToken,
                    "token_type_hint",
                    "refresh_token",
                    "client_id",
                    CLIENT));
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(refresh(refreshToken).statusCode()).isEqualTo(400);
  }

  @Test
  void wrongCodeVerifierIsRefused() throws Exception {
    Browser browser = new Browser();
    Pkce pkce = new Pkce();
    String code = browser.code(adminEmail, PASSWORD, pkce);
    HttpResponse<String> token = browser.exchange(code, new Pkce().verifier);
    assertThat(token.statusCode()).isIn(400, 401);
    assertThat(token.body()).doesNotContain("access_token");
    // The code is still the console's, and good for one exchange only.
    assertThat(browser.exchange(code, pkce.verifier).statusCode()).isEqualTo(200);
    assertThat(browser.exchange(code, pkce.verifier).statusCode()).isEqualTo(400);
  }

  @Test
  void wrongVerifiersOfTheConsoleDoNotLockOthersOutOfSigningIn() throws Exception {
    Browser browser = new Browser();
    Pkce pkce = new Pkce();
    String code = browser.code(adminEmail, PASSWORD, pkce);
    // More than the failed client authentications one client id may have from one address.
    for (int i = 0; i < 12; i++) {
      assertThat(browser.exchange(code, new Pkce().verifier).statusCode()).isEqualTo(400);
    }
    assertThat(browser.exchange(code, pkce.verifier).statusCode()).isEqualTo(200);
    assertThat(new Browser().signIn(viewerEmail, PASSWORD, new Pkce()).get("access_token"))
        .isNotNull();
  }

  @Test
  void authorizationRequestWithoutPkceIsRefused() throws Exception {
    Browser browser = new Browser();
    browser.signInSession(adminEmail, PASSWORD);
    HttpResponse<String> answer =
        browser.get(
            "/oauth2/authorize?response_type=code&client_id="
                + CLIENT
                + "&scope=fleet.read&state=s1&redirect_uri="
                + encode(REDIRECT));
    String location = answer.headers().firstValue("Location").orElse("");
    assertThat(location).doesNotContain("code=").contains("error=invalid_request");
  }

  @Test
  void plainCodeChallengeIsRefused() throws Exception {
    Browser browser = new Browser();
    browser.signInSession(adminEmail, PASSWORD);
    String verifier = new Pkce().verifier;
    HttpResponse<String> answer =
        browser.get(
            "/oauth2/authorize?response_type=code&client_id="
                + CLIENT
                + "&scope=fleet.read&state=s1&redirect_uri="
                + encode(REDIRECT)
                + "&code_challenge="
                + verifier
                + "&code_challenge_method=plain");
    String location = answer.headers().firstValue("Location").orElse("");
    assertThat(location).doesNotContain("code=").contains("error=invalid_request");
  }

  @Test
  void unregisteredRedirectUriIsRefusedWithoutRedirectingToIt() throws Exception {
    Browser browser = new Browser();
    browser.signInSession(adminEmail, PASSWORD);
    for (String evil :
        new String[] {
          "https://evil.test/console/",
          REDIRECT + "../steal",
          REDIRECT + "x",
          "http://fleetline.test/"
        }) {
      HttpResponse<String> answer = browser.get(authorizeUrl(new Pkce(), evil));
      assertThat(answer.statusCode()).as(evil).isEqualTo(400);
      assertThat(answer.headers().firstValue("Location")).as(evil).isEmpty();
    }
  }

  @Test
  void disabledPersonCannotSignInOrRefresh() throws Exception {
    String email = "leaving-" + UUID.randomUUID() + "@fleet-a.test";
    String id = createUser(fleetId, email, "manager", PASSWORD).get("id").stringValue();
    JsonNode tokens = new Browser().signIn(email, PASSWORD, new Pkce());

    ApiClient.Response disabled =
        api.patch(
            "/api/v1/admin/fleets/" + fleetId + "/users/" + id, adminToken, "{\"enabled\":false}");
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.json().get("enabled").booleanValue()).isFalse();

    assertThat(refresh(tokens.get("refresh_token").stringValue()).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/vehicles", tokens.get("access_token").stringValue()).status())
        .isEqualTo(401);
    HttpResponse<String> signIn = new Browser().submitPassword(email, PASSWORD);
    assertThat(signIn.statusCode()).isEqualTo(401);
    assertThat(signIn.body()).contains("Wrong email or password, or the account is disabled.");
  }

  @Test
  void wrongPasswordsAreLimitedPerAccountWhileOtherAccountsStillSignIn() throws Exception {
    String email = "guessed-" + UUID.randomUUID() + "@fleet-a.test";
    createUser(fleetId, email, "viewer", PASSWORD);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong = new Browser().submitPassword(email, "wrong password " + i);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("Wrong email or password");
    }
    HttpResponse<String> limited = new Browser().submitPassword(email, PASSWORD);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.body()).contains("Too many failed sign-ins. Try again in");

    JsonNode other = new Browser().signIn(viewerEmail, PASSWORD, new Pkce());
    assertThat(other.get("access_token").stringValue()).isNotBlank();
  }

  @Test
  void unknownEmailGetsTheSameAnswerAsAWrongPassword() throws Exception {
    HttpResponse<String> unknown =
        new Browser().submitPassword("nobody-" + UUID.randomUUID() + "@fleet-a.test", PASSWORD);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).contains("Wrong email or password, or the account is disabled.");
  }

  @Test
  void viewersTokenCannotCreateAGeofence() throws Exception {
    JsonNode tokens = new Browser().signIn(viewerEmail, PASSWORD, new Pkce());
    String access = tokens.get("access_token").stringValue();
    assertThat(tokens.get("scope").stringValue()).isEqualTo("fleet.read");
    assertThat(claims(access).get("scope").toString())
        .contains("fleet.read")
        .doesNotContain("fleet.write");
    assertThat(api.get("/api/v1/geofences", access).status()).isEqualTo(200);
    String geofence =
        "{\"name\":\"V\",\"area\":{\"center\":{\"latitude\":52.5,\"longitude\":13.4},\"radiusM\":100}}";
    assertThat(api.post("/api/v1/geofences", access, geofence).status()).isEqualTo(403);
  }

  @Test
  void signInFormRunsNoScriptAndCannotBeFramed() throws Exception {
    Browser browser = new Browser();
    browser.get(authorizeUrl(new Pkce(), REDIRECT));
    HttpResponse<String> form = browser.get("/console/login");
    String csp = form.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).startsWith("default-src 'none';").contains("frame-ancestors 'none'");
    assertThat(csp).doesNotContain("script-src").doesNotContain("unsafe-inline");
    assertThat(form.body()).doesNotContain("<script");
    assertThat(form.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void signInFormWithoutItsCsrfTokenIsRefused() throws Exception {
    Browser browser = new Browser();
    browser.get(authorizeUrl(new Pkce(), REDIRECT));
    browser.get("/console/login");
    HttpResponse<String> answer =
        browser.post("/console/login", Map.of("username", adminEmail, "password", PASSWORD));
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void signingInGivesTheBrowserANewSessionId() throws Exception {
    Browser browser = new Browser();
    browser.get(authorizeUrl(new Pkce(), REDIRECT));
    browser.get("/console/login");
    String before = browser.sessionId();
    assertThat(before).isNotNull();
    HttpResponse<String> signedIn = browser.submitPasswordInThisSession(adminEmail, PASSWORD);
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(browser.sessionId()).isNotNull().isNotEqualTo(before);
  }

  @Test
  void clientCredentialsTokensAreIssuedWithoutASession() throws Exception {
    JsonNode client = createClient(fleetId, "fleet.read");
    HttpResponse<String> token =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString(
                                    (client.get("clientId").stringValue()
                                            + ":"
                                            + client.get("clientSecret").stringValue())
                                        .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).isEqualTo(200);
    assertThat(token.body()).doesNotContain("refresh_token");
    assertThat(token.headers().allValues("Set-Cookie")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------

  private JsonNode createUser(String fleet, String email, String role, String password)
      throws Exception {
    ApiClient.Response created =
        api.post(
            "/api/v1/admin/fleets/" + fleet + "/users",
            adminToken,
            "{\"email\":\""
                + email
                + "\",\"displayName\":\"Person "
                + email
                + "\",\"role\":\""
                + role
                + "\",\"password\":\""
                + password
                + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  private HttpResponse<String> refresh(String refreshToken) throws Exception {
    return new Browser()
        .post(
            "/oauth2/token",
            Map.of(
                "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", CLIENT));
  }

  private static JsonNode claims(String jwt) {
    String payload = jwt.split("\\.")[1];
    return FleetlineJson.mapper()
        .readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  static String authorizeUrl(Pkce pkce, String redirect) {
    return "/oauth2/authorize?response_type=code&client_id="
        + CLIENT
        + "&scope="
        + encode("fleet.read fleet.write fleet.admin")
        + "&state=st4te&redirect_uri="
        + encode(redirect)
        + "&code_challenge="
        + pkce.challenge
        + "&code_challenge_method=S256";
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The fields as an {@code application/x-www-form-urlencoded} body, in their order. */
  static String formBody(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** A PKCE verifier and its S256 challenge. */
  static final class Pkce {
    final String verifier;
    final String challenge;

    Pkce() throws Exception {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      challenge =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  MessageDigest.getInstance("SHA-256")
                      .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
  }

  /** A browser: keeps cookies, follows no redirects. */
  final class Browser {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    final CookieManager cookies = new CookieManager();
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(String pathOrUrl) throws Exception {
      return http.send(
          HttpRequest.newBuilder(url(pathOrUrl)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      String body = formBody(form);
      return http.send(
          HttpRequest.newBuilder(url(path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String pathOrUrl) {
      return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    }

    String sessionId() {
      return cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("JSESSIONID"))
          .map(c -> c.getValue())
          .findFirst()
          .orElse(null);
    }

    /** Starts at the authorization endpoint, is sent to the form, and submits the password. */
    HttpResponse<String> submitPassword(String email, String password) throws Exception {
      HttpResponse<String> authorize = get(authorizeUrl(new Pkce(), REDIRECT));
      assertThat(authorize.statusCode()).isEqualTo(302);
      assertThat(authorize.headers().firstValue("Location").orElseThrow())
          .endsWith("/console/login");
      return submitPasswordInThisSession(email, password);
    }

    HttpResponse<String> submitPasswordInThisSession(String email, String password)
        throws Exception {
      HttpResponse<String> form = get("/console/login");
      assertThat(form.statusCode()).isEqualTo(200);
      Matcher csrf = CSRF.matcher(form.body());
      assertThat(csrf.find()).as(form.body()).isTrue();
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("username", email);
      fields.put("password", password);
      fields.put("_csrf", csrf.group(1));
      return post("/console/login", fields);
    }

    /** Signs in without an authorization request waiting. */
    void signInSession(String email, String password) throws Exception {
      assertThat(submitPasswordInThisSession(email, password).statusCode()).isEqualTo(302);
    }

    /** The whole sign-in up to the authorization code the console receives. */
    String code(String email, String password, Pkce pkce) throws Exception {
      HttpResponse<String> authorize = get(authorizeUrl(pkce, REDIRECT));
      assertThat(authorize.statusCode()).isEqualTo(302);
      HttpResponse<String> signedIn = submitPasswordInThisSession(email, password);
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
      String back = signedIn.headers().firstValue("Location").orElseThrow();
      assertThat(back).contains("/oauth2/authorize");
      HttpResponse<String> redirect = get(back);
      assertThat(redirect.statusCode()).isEqualTo(302);
      String location = redirect.headers().firstValue("Location").orElseThrow();
      assertThat(location).startsWith(REDIRECT + "?").contains("state=st4te");
      Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
      assertThat(code.find()).as(location).isTrue();
      return java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
    }

    HttpResponse<String> exchange(String code, String verifier) throws Exception {
      return post(
          "/oauth2/token",
          Map.of(
              "grant_type", "authorization_code",
              "code", code,
              "redirect_uri", REDIRECT,
              "client_id", CLIENT,
              "code_verifier", verifier));
    }

    JsonNode signIn(String email, String password, Pkce pkce) throws Exception {
      HttpResponse<String> token = exchange(code(email, password, pkce), pkce.verifier);
      assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
      return FleetlineJson.mapper().readTree(token.body());
    }
  }
}
