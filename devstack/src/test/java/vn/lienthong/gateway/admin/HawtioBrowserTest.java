package vn.lienthong.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.lienthong.gateway.GatewayApplication;
import vn.lienthong.gateway.testsupport.Tokens;

/**
 * Hawtio, the Camel route console, in a real headless Chromium as an operator logged in on
 * Keycloak's own page: the routes of the gateway with their state, a channel's ingress route and
 * its named steps (identify, check, record, receipt) in its route diagram, and a stop then start of that
 * route from the console, checked on the Camel context and the actuator. Screenshots: target/screenshots/hawtio-*.png.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HawtioBrowserTest {

    private static final String ROUTE = "ingress-jms-MOF.CUSTOMS";

    @BeforeAll
    static void chromium() {
        Browser.requireChromium();
    }

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        OperatorSupport.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Test
    void anOperatorSeesAChannelRouteWithItsNamedStepsAndStopsAndStartsIt() {
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
        try (Browser b = Browser.start("hawtio")) {
            b.driver.get(base() + "/actuator/hawtio/camel/routes");
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
            assertThat(b.driver.getCurrentUrl()).startsWith(Tokens.issuer());
            b.logInOnKeycloak(OperatorSupport.OPERATOR, "operator-demo");
            b.wait.until(d -> d.getCurrentUrl().startsWith(base() + "/actuator/hawtio"));
            try {
                // The Camel plugin's tree: the context, its routes folder, the channel's route.
                click(b, () -> treeNode(b, "routes"));
                // The folder opens on its route diagram; the table with start and stop is its Routes tab.
                click(b, () -> tab(b, "Routes"));
                b.wait.until(d -> d.findElement(By.id("camel-routes-table")).getText().contains(ROUTE));
                assertThat(b.driver.findElement(By.id("camel-routes-table")).getText()).contains("api-submit");
                b.screenshot("hawtio-01-routes");

                // Stop it from the console.
                click(b, () -> routeRow(b).findElement(By.cssSelector("input[type='checkbox']")));
                click(b, () -> b.driver.findElement(By.xpath("//*[@id='camel-routes-toolbar']"
                        + "//button[normalize-space()='Stop']")));
                await().atMost(Browser.WAIT).until(() -> camel.getRouteController().getRouteStatus(ROUTE)
                        == ServiceStatus.Stopped);
                assertThat(actuatorStatus()).isEqualTo("Stopped");
                b.wait.until(d -> routeRow(b).getText().contains("Stopped"));
                b.screenshot("hawtio-02-route-stopped");

                // And start it again.
                b.wait.until(d -> {
                    WebElement box = routeRow(b).findElement(By.cssSelector("input[type='checkbox']"));
                    if (!box.isSelected()) {
                        box.click();
                    }
                    return true;
                });
                click(b, () -> b.driver.findElement(By.xpath("//*[@id='camel-routes-toolbar']"
                        + "//button[normalize-space()='Start']")));
                await().atMost(Browser.WAIT).until(() -> camel.getRouteController().getRouteStatus(ROUTE)
                        == ServiceStatus.Started);
                assertThat(actuatorStatus()).isEqualTo("Started");
                b.wait.until(d -> routeRow(b).getText().contains("Started"));
                b.screenshot("hawtio-03-route-started");

                // The route itself: its diagram names every step by its id. The diagram draws only the
                // nodes inside the window: a tall one holds the whole flow, the backpressure step included.
                b.driver.manage().window().setSize(new Dimension(1440, 2000));
                click(b, () -> treeNode(b, ROUTE));
                click(b, () -> tab(b, "Route Diagram"));
                b.wait.until(d -> d.findElement(By.tagName("main")).getText().contains("ID: identify"));
                String shown = b.driver.findElement(By.tagName("main")).getText();
                assertThat(shown).contains("ID: identify").contains("ID: check").contains("ID: record")
                        .contains("ID: receipt");
                b.screenshot("hawtio-04-route-steps");
            } finally {
                dump(b, "hawtio-last");
            }
        }
    }

    /** Clicks what {@code find} finds, finding it again while the page re-renders it. */
    private static void click(Browser b, java.util.function.Supplier<WebElement> find) {
        b.wait.until(d -> {
            WebElement element = find.get();
            if (element == null || !element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** A node of the Camel tree whose text is {@code text} (case-insensitive), expanding parents as needed. */
    private static WebElement treeNode(Browser b, String text) {
        List<WebElement> found = b.driver.findElements(By.xpath("//*[contains(@class,'tree-view__node-text')"
                + " and translate(normalize-space(), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = '"
                + text.toLowerCase() + "']"));
        for (WebElement node : found) {
            if (node.isDisplayed()) {
                return node;
            }
        }
        // Expand what is collapsed, and look again next time.
        for (WebElement toggle : b.driver.findElements(By.cssSelector("[class*='tree-view__node-toggle']"))) {
            WebElement item = toggle.findElement(By.xpath("ancestor::li[1]"));
            if (toggle.isDisplayed() && !"true".equals(item.getDomAttribute("aria-expanded"))) {
                toggle.click();
                return null;
            }
        }
        return null;
    }

    private static WebElement tab(Browser b, String text) {
        for (WebElement tab : b.driver.findElements(By.xpath("//*[@role='tab' or self::a or self::button]"
                + "[normalize-space()='" + text + "']"))) {
            if (tab.isDisplayed()) {
                return tab;
            }
        }
        return null;
    }

    private static WebElement routeRow(Browser b) {
        return b.driver.findElement(By.xpath("//*[@id='camel-routes-table']//tr[td[normalize-space()='" + ROUTE
                + "']]"));
    }

    /** The route's status as the actuator's camelroutes endpoint says it. */
    private String actuatorStatus() {
        OperatorSupport.Response r = OperatorSupport.get(port, "/actuator/camelroutes/" + ROUTE + "/info",
                OperatorSupport.operator());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("status").asText();
    }

    /** What the browser showed last, as a picture and as HTML (kept whether the test passed or not). */
    private static void dump(Browser b, String name) {
        b.screenshot(name);
        try {
            Files.writeString(Browser.SCREENSHOTS.resolve(name + ".html"), b.driver.getPageSource(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
