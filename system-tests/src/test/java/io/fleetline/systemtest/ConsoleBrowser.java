package io.fleetline.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both named explicitly so that
 * Selenium never looks for or downloads a browser or driver of its own.
 */
final class ConsoleBrowser implements AutoCloseable {

  static final Path CHROMIUM =
      Path.of(System.getProperty("fleetline.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("fleetline.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  final ChromeDriver driver;
  private final Duration patience;

  private ConsoleBrowser(ChromeDriver driver, Duration patience) {
    this.driver = driver;
    this.patience = patience;
  }

  /** A new browser with a window of the given size (a phone's is about 390 by 844). */
  static ConsoleBrowser open(int width, int height, Duration patience) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "The console's browser tests need Debian's chromium and chromium-driver packages ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): apt-get install chromium chromium-driver");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--window-size=" + width + "," + height);
    // The page's console messages, for failure messages.
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ConsoleBrowser(new ChromeDriver(service, options), patience);
  }

  <T> T await(String what, ExpectedCondition<T> condition) {
    return until(what, condition, Duration.ofMillis(200));
  }

  private <T> T until(String what, ExpectedCondition<T> condition, Duration poll) {
    try {
      return new WebDriverWait(driver, patience).pollingEvery(poll).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " within " + patience + "; " + state(), e);
    }
  }

  /** Where the browser is and what it says, for a failure's message. */
  String state() {
    StringBuilder state = new StringBuilder("at ").append(driver.getCurrentUrl());
    try {
      String text = driver.findElement(By.tagName("body")).getText();
      state.append("\npage text: ").append(text, 0, Math.min(text.length(), 1500));
    } catch (RuntimeException e) {
      state.append("\npage text unavailable: ").append(e.getMessage());
    }
    try {
      state
          .append("\nrequests: ")
          .append(
              script(
                  "return performance.getEntriesByType('resource').map(e => e.name + ' '"
                      + " + Math.round(e.duration) + 'ms ' + e.responseStatus).join('\\n')"));
      state.append("\nsession keys: ").append(script("return Object.keys(sessionStorage)"));
    } catch (RuntimeException e) {
      state.append("\nrequests unavailable: ").append(e.getMessage());
    }
    try {
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        state.append("\nconsole: ").append(entry.getLevel()).append(' ').append(entry.getMessage());
      }
    } catch (RuntimeException e) {
      state.append("\nconsole log unavailable: ").append(e.getMessage());
    }
    return state.toString();
  }

  /** Like {@link #await} for conditions that reload the page, which should not happen often. */
  <T> T awaitSlowly(String what, ExpectedCondition<T> condition) {
    return until(what, condition, Duration.ofSeconds(2));
  }

  WebElement visible(String css) {
    return await(
        css + " is visible", ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves what the window shows as {@code target/console-screenshots/<name>.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
