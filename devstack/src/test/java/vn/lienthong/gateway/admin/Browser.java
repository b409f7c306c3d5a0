package vn.lienthong.gateway.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven by Selenium, for the console and Hawtio tests: Debian's
 * {@code chromium} and {@code chromium-driver}, named explicitly (no Selenium Manager download).
 * Where they are absent the test is skipped, naming what to install, unless the environment
 * variable {@code CI} is set or {@code -Dlienthong.browser.required=true}: then it fails.
 * Screenshots go to {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(60);

    private static final Path CHROMIUM = Path.of(System.getProperty("lienthong.browser.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("lienthong.browser.chromedriver",
            "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    final WebDriverWait wait;
    final Path downloads;

    private Browser(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        // Pages re-render what they show (Hawtio refreshes its tables): a stale element is found again.
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(200));
        this.wait.ignoring(StaleElementReferenceException.class);
        this.downloads = downloads;
    }

    /** A fresh browser (its own profile, so its own login), or the test skipped (or failed) without Chromium. */
    static Browser start(String name) {
        requireChromium();
        try {
            Path downloads = Files.createDirectories(Path.of("target", "downloads", name)).toAbsolutePath();
            Files.createDirectories(SCREENSHOTS);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1440,1000", "--lang=vi-VN", "--no-first-run", "--disable-extensions");
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Skips the test (or fails it, under CI or {@code -Dlienthong.browser.required=true}) without
     * Chromium; tests call it from {@code @BeforeAll}, before their servers start.
     */
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (present) {
            return;
        }
        String what = "no " + (Files.isExecutable(CHROMIUM) ? DRIVER : CHROMIUM) + ": install Debian's chromium and"
                + " chromium-driver (apt-get install -y --no-install-recommends chromium chromium-driver) to run the"
                + " browser tests";
        if (System.getenv("CI") != null || Boolean.getBoolean("lienthong.browser.required")) {
            throw new AssertionError(what + " (required: CI is set or -Dlienthong.browser.required=true)");
        }
        // Surefire does not print why a class was skipped: the log says it.
        org.slf4j.LoggerFactory.getLogger(Browser.class).warn("browser tests skipped: {}", what);
        Assumptions.assumeTrue(false, what);
    }

    /** Logs in on Keycloak's own page (the browser must be on it). */
    void logInOnKeycloak(String username, String password) {
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
