package dev.packline.console;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * One headless Debian chromium driven through Debian's chromedriver, shared by a test class. The
 * binaries are named, so Selenium Manager never runs (nothing is downloaded); {@code bin/packline
 * test} installs both packages when they are missing, and a machine without them fails here with
 * the command that installs them, never skips.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final WebDriver driver;
    private final Path profile;
    private final String base;

    Browser(String baseUrl) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the console's browser tests need Debian's chromium and chromium-driver: run "
                    + "bin/install-debian-package.sh chromium chromium && bin/install-debian-package.sh chromedriver chromium-driver "
                    + "(bin/packline test does it)");
        }
        try {
            profile = Files.createTempDirectory("console-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        // a page loads in well under a second; one that waits this long is stuck (e.g. no free connection to the console)
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        base = baseUrl;
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    /** The element, waiting (up to 30 s) for it to be there: a click that submits a form may return before the next page is in. */
    WebElement find(String css) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no element " + css + " on " + driver.getCurrentUrl() + "; the page says: "
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /** The element's text; read again when a live part was swapped in between finding and reading it. */
    String text(String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                return find(css).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Waits (up to 30 s) until the condition holds, with the page's text in the failure. */
    void await(String what, Function<WebDriver, Boolean> condition) {
        await(what, Duration.ofSeconds(30), condition);
    }

    /** Waits up to {@code limit} until the condition holds: for what changes only with the wall clock (a per-minute rate). */
    void await(String what, Duration limit, Function<WebDriver, Boolean> condition) {
        try {
            // a live part swapped in between finding an element and reading it leaves a stale element, or a node chromium
            // no longer finds in the document ("Node with given id does not belong to the document"): look again
            new WebDriverWait(driver, limit, Duration.ofMillis(100)).ignoring(org.openqa.selenium.WebDriverException.class)
                    .until(condition::apply);
        } catch (RuntimeException e) {
            throw new AssertionError("timed out waiting until " + what + "; the page says: " + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    void signIn(String account, String password) {
        driver.manage().deleteAllCookies();
        open("/sign-in");
        find("#account").sendKeys(account);
        find("#password").sendKeys(password);
        WebElement button = find("#sign-in");
        button.click();
        // the click returns before the answer: wait for the next page (signed in, or the form again with its error),
        // or a page opened next could be overtaken by the sign-in's redirect
        await("the answer to signing in as " + account, ExpectedConditions.stalenessOf(button));
    }

    /** Saves a screenshot of the page as docs/console/NAME.png (committed; docs/console.md shows them). */
    void screenshot(String name) {
        Path dir = repositoryRoot().resolve("docs/console");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("ARCHITECTURE.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no ARCHITECTURE.md above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary profile is harmless
        }
    }
}
