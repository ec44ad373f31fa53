package dev.ldm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ldm.folder.ModelFolder;
import dev.ldm.io.AtomicFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's Chromium, driven by Selenium through Debian's
 * chromedriver (both installed by scripts/test-prerequisites.sh before the tests; nothing is
 * downloaded: the driver is given, and SE_OFFLINE=true keeps Selenium Manager off the network).
 * With the shipped model it types a prompt, generates, waits for the images, downloads one, starts
 * from it (img2img upload), reuses settings, and saves a screenshot to target/serve.png; with
 * {@code -Dldm.screenshot=docs/images/serve.png} it refreshes the one the README shows (a plain test run
 * leaves the work tree as it was). Tagged slow: about 30 s on two busy cores.
 */
@org.junit.jupiter.api.Tag("slow")
class ServeBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of(System.getProperty("ldm.screenshot", "target/serve.png"));

    @TempDir
    Path tmp;

    @Test
    void aPersonTypesAPromptAndGetsImages() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "Chromium or chromedriver missing: run "
                + "the tests through Maven (mvn -B test), whose scripts/test-prerequisites.sh installs them");
        ModelFolder shipped = ModelFolder.open(Path.of(ModelFolder.DEFAULT));
        try (ServeFixture serve = ServeFixture.start(shipped, ServeFixture.LIMITS, null, null, List.of())) {
            WebDriver driver = browser();
            try {
                use(driver, serve);
                Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
                AtomicFiles.write(SCREENSHOT, ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
            } finally {
                driver.quit();
            }
        }
    }

    private WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--no-default-browser-check", "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")),
                "--window-size=1280,900", "--force-device-scale-factor=1", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(tmp.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }

    private void use(WebDriver driver, ServeFixture serve) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        driver.get(serve.url("/"));
        wait.until(d -> d.findElement(By.id("model")).getText().contains("128×128"));
        assertEquals("euler", driver.findElement(By.id("sampler")).getAttribute("value"));

        // a prompt, four images, a fixed seed, generate
        type(driver, "prompt", "fox, noto style");
        type(driver, "seed", "7");
        type(driver, "n", "4");
        driver.findElement(By.id("generate")).click();
        WebElement first = awaitDone(driver, wait, 1, 4);
        assertTrue(first.findElement(By.className("settings")).getText().contains("seed 7"));
        assertTrue(first.findElement(By.className("settings")).getText().contains(
                "redrawn from the draft at 0.65 · the draft's layout kept in 2×2 blocks"),
                first.findElement(By.className("settings")).getText());
        WebElement link = first.findElement(By.cssSelector(".shot a.download"));
        String href = link.getAttribute("href");
        assertTrue(href.matches(".*/ldm/v1/jobs/[0-9a-f]+/images/0"), href);
        assertTrue(link.getAttribute("download").endsWith("fox-noto-style-7.png"), link.getAttribute("download"));

        // the downloaded PNG carries its settings; start from it (img2img) with Ctrl+Enter
        ServeFixture.Response png = serve.get(href.substring(serve.server.url().length()));
        Path init = tmp.resolve("fox.png");
        Files.write(init, png.bytes());
        assertEquals("fox, noto style", dev.ldm.request.StoredSettings.read(init).options().prompt());
        driver.findElement(By.id("init")).sendKeys(init.toString());
        wait.until(d -> d.findElement(By.id("strength-row")).isDisplayed());
        type(driver, "prompt", "fox, twemoji style");
        type(driver, "n", "2");
        driver.findElement(By.id("prompt")).sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL,
                org.openqa.selenium.Keys.ENTER));
        WebElement second = awaitDone(driver, wait, 2, 2);
        assertTrue(second.findElement(By.className("settings")).getText().contains("img2img strength 0.75"),
                second.findElement(By.className("settings")).getText());

        // a bad value is refused by the server and shown next to its field
        type(driver, "steps", "100000");
        driver.findElement(By.id("generate")).click();
        wait.until(d -> d.findElement(By.id("error")).isDisplayed());
        assertTrue(driver.findElement(By.id("error")).getText().contains("steps"));
        assertTrue(driver.findElement(By.id("steps")).getAttribute("class").contains("invalid"));

        // "use these settings again" restores the first job's settings
        driver.findElements(By.cssSelector(".job")).get(1).findElement(By.className("reuse")).click();
        assertEquals("fox, noto style", driver.findElement(By.id("prompt")).getAttribute("value"));
        assertEquals("7", driver.findElement(By.id("seed")).getAttribute("value"));
        assertEquals("4", driver.findElement(By.id("n")).getAttribute("value"));
        type(driver, "prompt", "pizza, twemoji style");
        driver.findElement(By.id("generate")).click();
        awaitDone(driver, wait, 3, 4);
        js.executeScript("window.scrollTo(0, 0); document.activeElement.blur();");
    }

    private static void type(WebDriver driver, String id, String text) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Waits for the newest card, the {@code cards}-th, to be done with {@code images} loaded 128-pixel images. */
    private static WebElement awaitDone(WebDriver driver, WebDriverWait wait, int cards, int images) {
        wait.until(d -> d.findElements(By.cssSelector(".job")).size() == cards);
        WebElement card = driver.findElements(By.cssSelector(".job")).get(0);
        wait.until(d -> {
            String status = card.getAttribute("data-status");
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new AssertionError("job " + status + ": " + card.getText());
            }
            Object loaded = ((JavascriptExecutor) d).executeScript("return [...arguments[0].querySelectorAll('.shot img')]"
                    + ".filter(i => i.complete && i.naturalWidth === 128).length", card);
            return status.equals("done") && ((Number) loaded).intValue() == images;
        });
        return card;
    }
}
