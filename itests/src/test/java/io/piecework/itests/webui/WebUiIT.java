package io.piecework.itests.webui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.itests.support.ScriptProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in Debian's Chromium, headless, driven by Selenium against a real daemon: a
 * .torrent added by upload and a magnet both complete from libtorrent seeders while the page
 * polls (no reload: a marker set in the page at the start is still there), the details show
 * the files and the peer, the strategy switched from the page shows in the details, the
 * comparison run from the page is drawn as bar charts of the three strategies, a URL add shows the server's refusal in words, a torrent removed with
 * its data leaves no files, and a magnet named with markup, an entity and a right-to-left
 * override is shown as text and runs nothing. Screenshots go to {@code piecework.screenshots}
 * (default target/webui-screenshots; docs/images holds a set).
 */
class WebUiIT {
    private static final int TIMEOUT_S = 120;
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Markup that would run if it reached innerHTML; an entity; a right-to-left override. */
    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>"
            + " &amp; \u202Egnp.exe";
    private static final String HOSTILE_HASH = "fedcba9876543210fedcba9876543210fedcba98";
    /** A tracker's failure reason: markup, an entity and a right-to-left override again. */
    private static final String HOSTILE_TRACKER = "<img src=x onerror=\"window.pwned=3\"><script>window.pwned=4</script>"
            + " &amp; \u202Etxt.exe";
    /** The upload seeder's client name (its extension handshake's v): under the engine's 64 characters. */
    private static final String HOSTILE_CLIENT = "libtorrent<script>window.pwned=6</script>&amp;\u202E<i>x</i>";
    /** A file name of a torrent added later: markup, an entity, a right-to-left override. */
    private static final String HOSTILE_FILE = "<img src=x onerror=window.pwned=7>&amp;\u202Etxt.exe";

    @TempDir
    Path dir;

    @Test
    void addWatchDetailsRemoveAndHostileNamesInABrowser() throws Exception {
        HostileTracker tracker = new HostileTracker(HOSTILE_TRACKER);
        TorrentMetainfo upload = Payload.create(dir, "upload", 3 << 20, 2, List.of(tracker.announceUrl()));
        TorrentMetainfo magnet = Payload.create(dir, "magnet", 2 << 20, 1);
        Path down = dir.resolve("down");
        Path script = Path.of("src/test/resources/python/lt_node.py").toAbsolutePath();
        try (tracker; DaemonProcess daemon = new DaemonProcess(dir, Map.of(), TIMEOUT_S);
             ScriptProcess seedUpload = seeder(script, "upload", "--upload-limit", String.valueOf(256 << 10),
                     "--user-agent", HOSTILE_CLIENT);
             ScriptProcess seedMagnet = seeder(script, "magnet")) {
            int magnetSeedPort = Integer.parseInt(seedMagnet.await("PORT", TIMEOUT_S).split(" ")[1]);
            seedUpload.await("PORT", TIMEOUT_S);
            WebDriver browser = chromium();
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(TIMEOUT_S));
                // The UI's bundle registers its files in its own time after the HTTP port opens
                // (CI once loaded a 404 page here and waited for it to change): wait for them.
                RpcClient plain = new RpcClient(daemon.base(), null, null);
                io.piecework.itests.support.Conditions.await(TimeUnit.SECONDS.toMillis(TIMEOUT_S), () -> {
                    try {
                        return plain.get("/").statusCode() != 404;
                    } catch (java.io.IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }, "the web UI on the Whiteboard");
                browser.get(daemon.base() + "/");
                wait.until(ExpectedConditions.textToBe(By.id("empty"), "No torrents yet."));
                js(browser, "window.sameLoad = 'yes';");

                // A .torrent by upload, into a folder of our choice; the seeder is told where we listen.
                WebElement folder = browser.findElement(By.id("add-dir"));
                folder.clear();
                folder.sendKeys(down.toString());
                browser.findElement(By.id("add-file")).sendKeys(Payload.torrent(dir, "upload").toString());
                browser.findElement(By.id("add-button")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(row(upload)));
                seedUpload.send("CONNECT " + daemon.peerPort);

                // Details while it downloads (the seeder sends 256 KiB/s: about 12 s): the files and
                // the seeder as a peer (seeds part once both are complete).
                click(wait, By.cssSelector(rowSelector(upload) + " button.link"));
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#files tr.file"), 2));
                wait.until(ExpectedConditions.textMatches(By.id("peers"), java.util.regex.Pattern.compile("^1 peer connected")));
                seederAsPeer(wait);
                piecesPicture(browser, wait, upload);
                hostileTracker(browser, wait, tracker);
                overTime(wait);
                js(browser, "document.getElementById('peers-title').scrollIntoView();");
                shot(browser, "webui-details");
                browser.findElement(By.id("details-close")).click();

                // A magnet with its seeder in x.pe.
                browser.findElement(By.id("add-link")).sendKeys("magnet:?xt=urn:btih:" + magnet.infoHash().hex()
                        + "&dn=magnet&x.pe=127.0.0.1:" + magnetSeedPort);
                browser.findElement(By.id("add-button")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(row(magnet)));

                // Both reach 100% on the page by its own polling, and the page was never reloaded.
                wait.until(ExpectedConditions.textToBe(percent(upload), "100%"));
                wait.until(ExpectedConditions.textToBe(percent(magnet), "100%"));
                assertEquals("yes", js(browser, "return window.sameLoad;"), "the page was reloaded");
                wait.until(ExpectedConditions.textToBe(By.cssSelector(rowSelector(upload) + " .state"), "Seeding"));
                shot(browser, "webui-list");

                // Its files and its files' priorities at the end, when it is done.
                click(wait, By.cssSelector(rowSelector(upload) + " button.link"));
                wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#files tr.file"), 2));
                String files = browser.findElement(By.id("files")).getText();
                assertTrue(files.contains("file-0.bin") && files.contains("file-1.bin") && files.contains("100%"), files);
                assertTrue(Long.parseLong(fact(wait, "Lock acquisitions")) > 0, "the lock figures are shown");

                // Switch the strategy (the same Config Admin change as piecework:strategy): the details show the new one.
                String before = fact(wait, "Request strategy");
                String other = "cached".equals(before) ? "naive" : "cached";
                new Select(browser.findElement(By.id("strategy-choice"))).selectByValue(other);
                browser.findElement(By.id("strategy-switch")).click();
                wait.until(ExpectedConditions.textToBe(By.cssSelector("dd[data-fact='Request strategy']"), other));
                assertEquals(other, browser.findElement(By.id("strategy")).getText());
                browser.findElement(By.id("details-close")).click();

                // The comparison, started from the page, drawn as a bar chart per figure.
                new Select(browser.findElement(By.id("compare-seconds"))).selectByValue("1");
                browser.findElement(By.id("compare-run")).click();
                wait.until(ExpectedConditions.textToBe(By.id("compare-status"), "Done."));
                List<WebElement> charts = browser.findElements(By.cssSelector("#charts figure.chart svg"));
                assertTrue(charts.size() >= 5, charts.size() + " charts");
                String bars = charts.get(0).getAttribute("aria-label");
                assertTrue(bars.contains("naive") && bars.contains("cached") && bars.contains("batched"), bars);
                js(browser, "document.getElementById('compare-title').scrollIntoView();");
                shot(browser, "webui-compare");

                sessionLimits(browser, wait, new RpcClient(daemon.base(), null, null));

                // The server's refusal in words.
                browser.findElement(By.id("add-link")).sendKeys("http://127.0.0.1:1/some.torrent");
                browser.findElement(By.id("add-button")).click();
                wait.until(ExpectedConditions.textMatches(By.id("error"),
                        java.util.regex.Pattern.compile("does not fetch torrents from URLs")));
                browser.findElement(By.id("add-link")).clear();

                // Remove the magnet's torrent with its data: the row and the file go.
                Path magnetFile = down.resolve("magnet");
                assertTrue(Files.exists(magnetFile));
                click(wait, By.cssSelector(rowSelector(magnet) + " input[type=checkbox]"));
                browser.findElement(By.id("remove-data")).click();
                wait.until(ExpectedConditions.alertIsPresent()).accept();
                wait.until(ExpectedConditions.invisibilityOfElementLocated(row(magnet)));
                wait.until(b -> !Files.exists(magnetFile));
                assertTrue(Files.exists(down.resolve("upload/file-0.bin")), "the other torrent's files stay");

                hostileName(browser, wait);
                hostileFileName(browser, wait, new RpcClient(daemon.base(), null, null), dir);
                phoneWidth(browser);
            } finally {
                browser.quit();
            }
        }
    }

    /** A magnet whose name (dn: the engine shows it until the metadata comes) is markup. */
    private void hostileName(WebDriver browser, WebDriverWait wait) throws IOException {
        browser.findElement(By.id("add-paused")).click();
        browser.findElement(By.id("add-link")).sendKeys("magnet:?xt=urn:btih:" + HOSTILE_HASH + "&dn="
                + java.net.URLEncoder.encode(HOSTILE, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        browser.findElement(By.id("add-button")).click();
        By hostileRow = By.cssSelector("tr[data-hash='" + HOSTILE_HASH + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(hostileRow));
        String shown = wait.ignoring(StaleElementReferenceException.class)
                .until(b -> b.findElement(hostileRow).findElement(By.cssSelector("button.link")).getText());
        assertTrue(shown.startsWith("<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script> &amp; "), shown);
        assertFalse(shown.contains("\u202E"), "the right-to-left override is shown as text, not applied: " + shown);
        assertTrue(shown.endsWith("gnp.exe"), shown);
        assertEquals(0L, js(browser, "return document.querySelectorAll('main img, main script, main b').length;"));
        assertEquals(null, js(browser, "return window.pwned === undefined ? null : window.pwned;"), "a script ran");
        click(wait, By.cssSelector("tr[data-hash='" + HOSTILE_HASH + "'] button.link"));
        wait.until(ExpectedConditions.textToBe(By.id("details-name"), shown));
        shot(browser, "webui-hostile");
    }

    /** The libtorrent seeder in the peers table: its loopback address and its client name. */
    private static void seederAsPeer(WebDriverWait wait) {
        By peer = By.cssSelector("#peer-table tr.peer");
        wait.until(ExpectedConditions.numberOfElementsToBe(peer, 1));
        String address = wait.ignoring(StaleElementReferenceException.class)
                .until(b -> b.findElement(peer).findElement(By.cssSelector("td.address")).getText());
        assertTrue(address.startsWith("127.0.0.1:"), address);
        // Its client name is hostile (lt_node.py --user-agent): shown as text, the markup and the
        // entity as they were sent.
        String client = wait.ignoring(StaleElementReferenceException.class).until(b -> {
            String text = b.findElement(peer).findElement(By.cssSelector("td.client")).getText();
            return text.contains("libtorrent") ? text : null;
        });
        assertTrue(client.contains("<script>window.pwned=6</script>") && client.contains("&amp;"), client);
    }

    /**
     * A file name holding markup, an entity and a right-to-left override: the parser turns what
     * Windows forbids and the override into '_' (PathSanitizer), the page shows the rest as text.
     */
    private static void hostileFileName(WebDriver browser, WebDriverWait wait, RpcClient rpc, Path dir) throws Exception {
        TorrentMetainfo meta = Payload.createWithFile(dir, "hostile-files", HOSTILE_FILE, 40_000);
        String metainfo = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Payload.torrent(dir, "hostile-files")));
        String added = rpc.call("{\"method\":\"torrent-add\",\"arguments\":{\"metainfo\":\"" + metainfo
                + "\",\"paused\":true,\"download-dir\":\"" + dir.resolve("hostile-down") + "\"}}");
        assertTrue(added.contains("torrent-added"), added);
        click(wait, By.cssSelector(rowSelector(meta) + " button.link"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#files tr.file"), 1));
        String shown = browser.findElement(By.cssSelector("#files tr.file")).getText();
        assertTrue(shown.contains("_img src=x onerror=window.pwned=7_&amp;_txt.exe"), shown);
        assertEquals(null, js(browser, "return window.pwned === undefined ? null : window.pwned;"), "a script ran");
        browser.findElement(By.id("details-close")).click();
        String removed = rpc.call("{\"method\":\"torrent-remove\",\"arguments\":{\"ids\":[\"" + meta.infoHash().hex()
                + "\"],\"delete-local-data\":true}}");
        assertTrue(removed.contains("success"), removed);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(row(meta)));
    }

    /** The pieces picture: one cell per piece here, its label counting what is verified. */
    private static void piecesPicture(WebDriver browser, WebDriverWait wait, TorrentMetainfo meta) {
        wait.until(ExpectedConditions.attributeToBe(By.id("pieces"), "data-count", String.valueOf(meta.pieceCount())));
        String label = browser.findElement(By.id("pieces")).getAttribute("aria-label");
        assertTrue(label.matches("Pieces: \\d+ of " + meta.pieceCount() + " pieces verified"), label);
        assertEquals(Boolean.TRUE, js(browser, "const c = document.getElementById('pieces');"
                + " return c.width > 0 && c.height > 0;"), "the picture is drawn");
    }

    /** The tracker's failure reason (markup, entity, RTL override) is shown as text and runs nothing. */
    private static void hostileTracker(WebDriver browser, WebDriverWait wait, HostileTracker tracker) {
        By result = By.cssSelector("#tracker-table tr.tracker td.result");
        String shown = wait.ignoring(StaleElementReferenceException.class).until(b -> {
            String text = b.findElement(result).getText();
            return text.contains("<script>") ? text : null;
        });
        assertTrue(tracker.announces.get() > 0);
        assertTrue(shown.contains("<img src=x onerror=\"window.pwned=3\"><script>window.pwned=4</script> &amp; "), shown);
        assertFalse(shown.contains("\u202E"), "the right-to-left override is shown as text: " + shown);
        assertEquals(0L, js(browser, "return document.querySelectorAll('main img, main script').length;"));
        assertEquals(null, js(browser, "return window.pwned === undefined ? null : window.pwned;"), "a script ran");
    }

    /** The lock and request-update charts, sampled by the page while the details are open. */
    private static void overTime(WebDriverWait wait) {
        wait.until(ExpectedConditions.textMatches(By.id("over-time-caption"), java.util.regex.Pattern.compile("^([3-9]|\\d\\d+) samples")));
        // Lock wait p50/p99, hold p50/p99, updates per second, cost per update.
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#over-time figure.chart svg polyline"), 6));
    }

    /** A speed limit changed on the settings panel reaches the session; a refused value is explained in words. */
    private static void sessionLimits(WebDriver browser, WebDriverWait wait, RpcClient rpc) throws Exception {
        js(browser, "document.getElementById('settings-title').scrollIntoView();");
        WebElement on = browser.findElement(By.id("set-down-on"));
        if (!on.isSelected()) {
            on.click();
        }
        WebElement down = browser.findElement(By.id("set-down"));
        down.clear();
        down.sendKeys("4321");
        browser.findElement(By.id("settings-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("settings-status"), java.util.regex.Pattern.compile("^Saved: ")));
        String session = rpc.call("{\"method\":\"session-get\",\"arguments\":{\"fields\":[\"speed-limit-down\","
                + "\"speed-limit-down-enabled\"]}}");
        assertTrue(session.contains("\"speed-limit-down\":4321") && session.contains("\"speed-limit-down-enabled\":true"), session);
        shot(browser, "webui-settings");
        WebElement turtle = browser.findElement(By.id("set-turtle-down"));
        String turtleBefore = turtle.getDomProperty("value");
        turtle.clear();
        turtle.sendKeys("99999999");
        browser.findElement(By.id("settings-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("settings-status"),
                java.util.regex.Pattern.compile("^Not saved\\. session-set: alt-speed-down must be between 0 and \\d+")));
        // Off again: the rest of the test removes and adds torrents at full speed.
        browser.findElement(By.id("settings-reload")).click();
        wait.until(b -> turtleBefore.equals(b.findElement(By.id("set-turtle-down")).getDomProperty("value")));
        browser.findElement(By.id("set-down-on")).click();
        browser.findElement(By.id("settings-save")).click();
        wait.until(ExpectedConditions.textMatches(By.id("settings-status"), java.util.regex.Pattern.compile("^Saved: ")));
    }

    /** A phone's width: nothing sticks out sideways. */
    private void phoneWidth(WebDriver browser) throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        js(browser, "document.getElementById('details-close').click(); window.scrollTo(0, 0);");
        Object overflow = js(browser, "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, overflow, "the page is wider than a phone");
        shot(browser, "webui-phone");
    }

    /** A fact of the details; the page may rebuild the list between finding and reading: then again. */
    private static String fact(WebDriverWait wait, String name) {
        return wait.ignoring(StaleElementReferenceException.class)
                .until(b -> b.findElement(By.cssSelector("dd[data-fact='" + name + "']")).getText());
    }

    /** Clicks what {@code by} finds, finding it again if the page replaced it meanwhile. */
    private static void click(WebDriverWait wait, By by) {
        wait.ignoring(StaleElementReferenceException.class).until(b -> {
            b.findElement(by).click();
            return true;
        });
    }

    private static String rowSelector(TorrentMetainfo meta) {
        return "tr[data-hash='" + meta.infoHash().hex() + "']";
    }

    private static By row(TorrentMetainfo meta) {
        return By.cssSelector(rowSelector(meta));
    }

    private static By percent(TorrentMetainfo meta) {
        return By.cssSelector("tr[data-hash='" + meta.infoHash().hex() + "'] .percent");
    }

    private static Object js(WebDriver browser, String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void shot(WebDriver browser, String name) throws IOException {
        Path folder = Files.createDirectories(Path.of(System.getProperty("piecework.screenshots", "target/webui-screenshots")));
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), folder.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Debian's Chromium through Debian's chromedriver: Selenium Manager never downloads a driver. */
    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--disable-extensions", "--no-first-run", "--lang=en");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private ScriptProcess seeder(Path script, String name, String... options) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(ScriptProcess.PYTHON, script.toString(),
                "seed", Payload.torrent(dir, name).toString(), dir.resolve("seed").toString()));
        command.addAll(List.of(options));
        return ScriptProcess.start(dir.resolve("lt-" + name + ".log"), command);
    }
}
