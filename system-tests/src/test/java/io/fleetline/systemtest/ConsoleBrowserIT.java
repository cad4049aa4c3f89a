package io.fleetline.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetline.api.testing.ApiClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

/**
 * The fleet console in a real browser against the whole platform: people sign in through the
 * authorization-code flow, watch a vehicle move on the live map as its device sends pings, open its
 * trip, draw a geofence and see the vehicle's entry in the event feed, and sign out. Another
 * fleet's people never see the vehicles, and a name made of markup stays text.
 */
class ConsoleBrowserIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** How long routing may take to start again and store what it missed, on a busy machine. */
  private static final Duration ROUTING_RESTART = Duration.ofMinutes(3);

  /** Where the test vehicles drive: eastwards along latitude 52.5 from longitude 13.30. */
  private static final double LAT = 52.5;

  private static final double START_LON = 13.30;

  /** Degrees of longitude per 10 s at 40 km/h on latitude 52.5 (111 m over 67.7 km a degree). */
  private static final double STEP_LON = 0.00164;

  static Platform platform;
  static ApiClient api;
  static ApiClient ingest;

  private final List<ConsoleBrowser> browsers = new ArrayList<>();

  @BeforeAll
  static void start() {
    platform = Platform.shared();
    api = new ApiClient(platform.api.baseUrl());
    ingest = new ApiClient(platform.ingest.baseUrl());
  }

  @AfterEach
  void closeBrowsers() {
    browsers.forEach(ConsoleBrowser::close);
  }

  @Test
  void managerWatchesVehicleMoveOpensItsTripDrawsGeofenceSeesEntryAndSignsOut() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Console fleet");
    Person manager = person(fleet, "manager");
    Vehicle van = vehicle(fleet, "Console van", "B-CF 101");
    // Five minutes of driving east, ending two minutes ago: a trip the console can draw.
    Instant start = Instant.now().minus(7, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    List<String> drive = new ArrayList<>();
    for (int i = 0; i <= 30; i++) {
      drive.add(ping(start.plusSeconds(10L * i), LAT, START_LON + STEP_LON * i, 40));
    }
    double driveEndLon = START_LON + STEP_LON * 30;
    van.send(drive);

    ConsoleBrowser browser = browser(1280, 800);
    signIn(browser, manager);
    WebElement marker = awaitMarkerAt(browser, van.id, LAT, driveEndLon);
    assertThat(marker.getDomAttribute("data-status")).isIn("moving", "offline");

    // A ping sent now moves the marker through the live stream, without reloading the page.
    browser.script("window.__stillTheSamePage = true");
    double nowLon = driveEndLon + 0.002;
    van.send(List.of(ping(Instant.now().minusSeconds(1), LAT, nowLon, 35)));
    awaitMarkerAt(browser, van.id, LAT, nowLon);
    assertThat(browser.script("return window.__stillTheSamePage === true")).isEqualTo(true);
    assertThat(marker(browser, van.id).getDomAttribute("data-status")).isEqualTo("moving");

    // The marker's popup, opened with the keyboard: name, plate, speed, last seen.
    focusMarker(browser, van.id).sendKeys(Keys.ENTER);
    WebElement popup = browser.visible(".vehicle-popup");
    assertThat(popup.getText()).contains("Console van", "B-CF 101", "35 km/h", "Last seen");
    browser.screenshot("live-map");

    // The vehicle list finds it by plate.
    browser.driver.findElement(By.cssSelector("nav a[href='#/vehicles']")).click();
    browser.visible("#vehicle-search").sendKeys("cf 101");
    browser.await(
        "the search shows the van only",
        d ->
            d.findElements(By.cssSelector("tbody tr")).size() == 1
                && d.findElement(By.cssSelector("tbody tr")).getText().contains("Console van"));
    browser.screenshot("vehicles");

    // Its page lists the trip; opening it draws the trip's line with start and end.
    browser.driver.findElement(By.cssSelector("a.vehicle-name")).click();
    browser.awaitSlowly(
        "the trip is listed",
        d -> {
          if (!d.findElements(By.cssSelector("button.trip")).isEmpty()) {
            return true;
          }
          d.navigate().refresh(); // trips are derived after the pings are stored
          return false;
        });
    // A trip event arriving meanwhile lists the trips again, replacing the button: click the
    // current one until the trip is drawn.
    browser.awaitSlowly(
        "the trip is drawn",
        d -> {
          if (!d.findElements(By.cssSelector("path.trip-line")).isEmpty()) {
            return true;
          }
          try {
            d.findElement(By.cssSelector("button.trip")).click();
          } catch (StaleElementReferenceException e) {
            // listed again between finding and clicking
          }
          return false;
        });
    browser.visible("path.trip-line");
    browser.visible("path.trip-start");
    browser.visible("path.trip-end");
    assertThat(
            Integer.parseInt(browser.visible("#vehicle-map").getDomAttribute("data-trip-points")))
        .isGreaterThanOrEqualTo(2);
    assertThat(browser.visible(".trip-summary").getText()).contains("average", "km/h");
    browser.screenshot("vehicle-trip");

    // A geofence ahead of the van, typed in as corners (the keyboard way of drawing).
    double fenceWest = nowLon + 0.003;
    double fenceEast = nowLon + 0.010;
    browser.driver.findElement(By.cssSelector("nav a[href='#/geofences']")).click();
    browser.visible("#geofence-name").sendKeys("Depot ahead");
    browser
        .visible("#geofence-points")
        .sendKeys(
            String.join(
                "\n",
                point(LAT - 0.004, fenceWest),
                point(LAT - 0.004, fenceEast),
                point(LAT + 0.004, fenceEast),
                point(LAT + 0.004, fenceWest)));
    browser.visible("path.geofence-preview");
    browser.driver.findElement(By.id("save-geofence")).click();
    browser.await(
        "the geofence is listed",
        d ->
            d.findElements(By.cssSelector("ul.geofences .geofence-name")).stream()
                .anyMatch(e -> e.getText().equals("Depot ahead")));
    browser.visible("path.geofence-area");
    browser.screenshot("geofences");

    // The van drives into it; its entry appears in the event feed.
    browser.driver.findElement(By.cssSelector("nav a[href='#/events']")).click();
    browser.visible("#event-feed");
    String entered =
        "#event-feed [data-event-type='geofence_entered'][data-vehicle-id='" + van.id + "']";
    await("the van's geofence entry appears in the feed")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              // Outside, then inside, each time: routing learns of the new geofence within
              // seconds, and an entry is a move from outside to inside.
              Instant now = Instant.now();
              van.send(
                  List.of(
                      ping(now.minusSeconds(5), LAT, fenceWest - 0.0008, 40),
                      ping(now, LAT, fenceWest + 0.0008, 40)));
              return !browser.all(entered).isEmpty();
            });
    assertThat(browser.all(entered).get(0).getText()).contains("Console van", "Depot ahead");
    browser.screenshot("events");

    // Signing out ends the session: the page asks for sign-in again, also after a reload,
    // and the sign-in form asks for the password again.
    browser.driver.findElement(By.id("sign-out")).click();
    browser.visible("#sign-in");
    assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    browser.driver.navigate().refresh();
    browser.visible("#sign-in").click();
    browser.visible("input[type=password]");
  }

  /**
   * The live stream carries pings as ingest publishes them, the position list what routing has
   * stored. A ping published before the console's stream connected but stored only after the
   * console read the list is in neither: routing is stopped to hold it back that long.
   */
  @Test
  void markerReachesAPingStreamedBeforeTheConsoleConnectedButStoredAfterItReadThePositions()
      throws Exception {
    Platform.Fleet fleet = platform.newFleet("Console late store fleet");
    Vehicle van = vehicle(fleet, "Late store van", "B-LS 7");
    double lat = LAT + 0.02;
    van.send(List.of(ping(Instant.now().minusSeconds(60), lat, START_LON, 30)));
    awaitPositionAt(fleet, van.id, START_LON);

    ServiceProcess routing = platform.routing;
    routing.kill();
    try {
      // Durable in Kafka once accepted, before the console below subscribes: the stream never
      // brings it, and routing stores it only after the console read the positions.
      double heldBackLon = START_LON + 0.01;
      van.send(List.of(ping(Instant.now().minusSeconds(30), lat, heldBackLon, 30)));

      ConsoleBrowser browser = browser(1280, 800);
      signIn(browser, person(fleet, "viewer"));
      awaitMarkerAt(browser, van.id, lat, START_LON);
      browser.await(
          "the live stream is connected",
          d ->
              "connected".equals(d.findElement(By.id("live-state")).getDomAttribute("data-state")));
      browser.script("window.__stillTheSamePage = true");

      routing.restart(ROUTING_RESTART);
      awaitPositionAt(fleet, van.id, heldBackLon);
      awaitMarkerAt(browser, van.id, lat, heldBackLon);
      assertThat(browser.script("return window.__stillTheSamePage === true")).isEqualTo(true);
    } finally {
      if (!routing.isAlive()) {
        routing.restart(ROUTING_RESTART);
      }
    }
  }

  @Test
  void personOfAnotherFleetNeverSeesTheFirstFleetsVehicles() throws Exception {
    Platform.Fleet first = platform.newFleet("Console first fleet");
    Vehicle theirs = vehicle(first, "First fleet truck", "B-FF 1");
    theirs.send(List.of(ping(Instant.now().minusSeconds(5), LAT + 0.01, START_LON, 0)));
    Platform.Fleet second = platform.newFleet("Console second fleet");
    Vehicle own = vehicle(second, "Second fleet car", "B-SF 2");
    own.send(List.of(ping(Instant.now().minusSeconds(5), LAT + 0.01, START_LON + 0.001, 0)));
    awaitPosition(first, theirs.id);

    ConsoleBrowser browser = browser(390, 844); // a phone's width
    signIn(browser, person(second, "viewer"));
    awaitMarkerAt(browser, own.id, LAT + 0.01, START_LON + 0.001);
    assertThat(browser.all("[data-vehicle-id='" + theirs.id + "']")).isEmpty();
    browser.screenshot("phone-map");

    browser.driver.findElement(By.cssSelector("nav a[href='#/vehicles']")).click();
    browser.await(
        "the list shows the own vehicle",
        d -> d.findElement(By.tagName("tbody")).getText().contains("Second fleet car"));
    assertThat(browser.driver.findElement(By.tagName("main")).getText())
        .doesNotContain("First fleet truck");
    assertThat(browser.all("tbody tr")).hasSize(1);

    // Even the other fleet's vehicle's own address shows nothing of it.
    browser.driver.get(platform.api.baseUrl() + "/console/#/vehicles/" + theirs.id);
    browser.visible("body.signed-in .vehicle-page");
    browser.visible(".notice.error");
    assertThat(browser.driver.findElement(By.tagName("main")).getText())
        .doesNotContain("First fleet truck")
        .doesNotContain("B-FF 1");
  }

  @Test
  void vehicleNamedWithMarkupIsShownAsTextEverywhere() throws Exception {
    Platform.Fleet fleet = platform.newFleet("Console markup fleet");
    String name = "<img src=x onerror=\"document.body.dataset.injected='yes'\">";
    Vehicle vehicle = vehicle(fleet, name, "<b>X</b>");
    vehicle.send(List.of(ping(Instant.now().minusSeconds(5), LAT - 0.01, START_LON, 12)));

    ConsoleBrowser browser = browser(1280, 800);
    signIn(browser, person(fleet, "viewer"));
    awaitMarkerAt(browser, vehicle.id, LAT - 0.01, START_LON);
    focusMarker(browser, vehicle.id).sendKeys(Keys.ENTER);
    assertThat(browser.visible(".vehicle-popup strong").getText()).isEqualTo(name);
    assertThat(browser.visible(".vehicle-popup").getText()).contains("<b>X</b>");

    browser.driver.findElement(By.cssSelector("nav a[href='#/vehicles']")).click();
    assertThat(browser.visible("a.vehicle-name").getText()).isEqualTo(name);
    browser.visible("a.vehicle-name").click();
    browser.await(
        "the vehicle page's heading",
        ExpectedConditions.textToBe(By.cssSelector(".vehicle-page h1"), name));

    assertThat(browser.all("img[src='x']")).isEmpty();
    assertThat(browser.all("main b")).isEmpty();
    assertThat(browser.script("return document.body.dataset.injected || null")).isNull();
    browser.screenshot("markup-name");
  }

  // --- the people, vehicles and pings of the scenarios

  /** A person of the fleet with a password, created through the user admin API. */
  record Person(String email, String password) {}

  private Person person(Platform.Fleet fleet, String role) throws Exception {
    String admin = api.token(Platform.ADMIN_CLIENT_ID, Platform.ADMIN_SECRET, "platform.admin");
    String email = role + "-" + UUID.randomUUID() + "@console.test";
    String password = "pw-" + UUID.randomUUID();
    ApiClient.Response created =
        api.post(
            "/api/v1/admin/fleets/" + fleet.id() + "/users",
            admin,
            "{\"email\":\""
                + email
                + "\",\"displayName\":\"Console "
                + role
                + "\",\"role\":\""
                + role
                + "\",\"password\":\""
                + password
                + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return new Person(email, password);
  }

  /** A registered vehicle and its HTTP device's token. */
  record Vehicle(String id, String deviceToken) {

    /** Sends pings as its device, once ingest knows the device. */
    void send(List<String> pings) {
      String body = "[" + String.join(",", pings) + "]";
      await("ingest accepts the pings")
          .atMost(PATIENCE)
          .until(() -> ingest.post("/api/v1/pings", deviceToken, body).status() == 202);
    }
  }

  private Vehicle vehicle(Platform.Fleet fleet, String name, String plate) throws Exception {
    String body =
        "{\"name\":"
            + json(name)
            + ",\"plate\":"
            + json(plate)
            + ",\"devices\":[{\"protocol\":\"http\",\"identifier\":\"console-"
            + UUID.randomUUID()
            + "\"}]}";
    JsonNode vehicle = api.post("/api/v1/vehicles", fleet.token(), body).json();
    return new Vehicle(
        vehicle.get("id").stringValue(), vehicle.get("devices").get(0).get("token").stringValue());
  }

  private static String ping(Instant recordedAt, double lat, double lon, double speedKmh) {
    return String.format(
        Locale.ROOT,
        "{\"recordedAt\":\"%s\",\"latitude\":%.6f,\"longitude\":%.6f,\"speedKmh\":%.1f,"
            + "\"ignition\":true}",
        recordedAt.truncatedTo(ChronoUnit.MILLIS),
        lat,
        lon,
        speedKmh);
  }

  private static String point(double lat, double lon) {
    return String.format(Locale.ROOT, "%.6f, %.6f", lat, lon);
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Waits until the vehicle's stored latest position is at longitude {@code lon}. */
  private static void awaitPositionAt(Platform.Fleet fleet, String vehicleId, double lon) {
    await("the position at longitude " + lon + " is stored")
        .atMost(ROUTING_RESTART)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              ApiClient.Response position =
                  api.get("/api/v1/vehicles/" + vehicleId + "/position", fleet.token());
              return position.status() == 200
                  && Math.abs(position.json().get("longitude").doubleValue() - lon) < 1e-6;
            });
  }

  private static void awaitPosition(Platform.Fleet fleet, String vehicleId) {
    await("the position is stored")
        .atMost(PATIENCE)
        .until(
            () ->
                api.get("/api/v1/vehicles/" + vehicleId + "/position", fleet.token()).status()
                    == 200);
  }

  // --- the browser

  private ConsoleBrowser browser(int width, int height) {
    ConsoleBrowser browser = ConsoleBrowser.open(width, height, PATIENCE);
    browsers.add(browser);
    return browser;
  }

  /** Signs in through the console's button, the authorization server's form and the redirect. */
  private static void signIn(ConsoleBrowser browser, Person person) {
    browser.driver.get(platform.api.baseUrl() + "/console/");
    browser.visible("#sign-in").click();
    WebElement password = browser.visible("input[type=password]");
    WebElement email =
        browser.driver.findElement(
            By.cssSelector("input[name=username], input[name=email], input[type=email]"));
    email.sendKeys(person.email());
    password.sendKeys(person.password(), Keys.ENTER);
    browser.visible("body.signed-in main .page");
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("code=").doesNotContain("state=");
  }

  private static WebElement marker(ConsoleBrowser browser, String vehicleId) {
    return browser.driver.findElement(
        By.cssSelector(".vehicle-marker[data-vehicle-id='" + vehicleId + "']"));
  }

  /** The focusable Leaflet marker that holds the vehicle's dot. */
  private static WebElement focusMarker(ConsoleBrowser browser, String vehicleId) {
    WebElement icon =
        marker(browser, vehicleId)
            .findElement(By.xpath("ancestor::*[contains(@class,'leaflet-marker-icon')]"));
    browser.script("arguments[0].focus()", icon);
    return icon;
  }

  /** Waits until the vehicle's marker stands at the given place (to 6 decimals). */
  private static WebElement awaitMarkerAt(
      ConsoleBrowser browser, String vehicleId, double lat, double lon) {
    String css = ".vehicle-marker[data-vehicle-id='" + vehicleId + "']";
    return browser.await(
        "the marker of " + vehicleId + " at " + lat + ", " + lon,
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          if (found.isEmpty()) {
            return null;
          }
          WebElement marker = found.get(0);
          double markerLat = Double.parseDouble(marker.getDomAttribute("data-lat"));
          double markerLon = Double.parseDouble(marker.getDomAttribute("data-lng"));
          return Math.abs(markerLat - lat) < 1e-6 && Math.abs(markerLon - lon) < 1e-6
              ? marker
              : null;
        });
  }
}
