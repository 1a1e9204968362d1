package io.leadflow.localstack.console;

import io.leadflow.localstack.LocalStack;
import io.leadflow.localstack.RunningStackAccess;
import io.leadflow.localstack.demo.SampleLeads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the console in headless Chromium (Debian's {@code chromium} and {@code chromedriver}): a lead
 * posted to lead-intake shows up by itself, with its owner, and so does the Slack message its rep got; a person can
 * click a message's button as a rep, which sends the click to lead-intake; a routed lead's SLA clock shows with its owner
 * and time left; a pasted rules file is simulated and the report shows a lead it would give another owner, or the
 * line of a mistake in the file.
 * A console listening beyond loopback asks for the admin token once and then works the same. Skipped, saying why,
 * where no browser is installed (see {@link Chromium}).
 */
@ExtendWith(Chromium.class)
class ConsoleBrowserTests {

    final LocalStack stack = RunningStackAccess.get();
    ChromeDriver browser;
    Path profile;

    @BeforeEach
    void openBrowser() throws Exception {
        profile = Files.createTempDirectory("leadflow-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Chromium.BINARY.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1600,1400", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Chromium.DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsAPostedLeadWithItsOwnerAndTheRepsSlackMessage() throws Exception {
        // given the console is open
        browser.get(stack.consoleUrl() + "/");
        String company = "Browser Test " + UUID.randomUUID().toString().substring(0, 6);
        SampleLeads.Persona persona = SampleLeads.ENTERPRISE_EU.at(company, company.toLowerCase().replace(' ', '-') + ".de");

        // when a lead is posted to lead-intake
        var response = stack.webhooks().website(SampleLeads.websiteForm("browser-" + UUID.randomUUID(), persona, Instant.now()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String leadId = JsonMapper.builder().build().readTree(response.body()).path("leadId").asString();

        // then, without a reload, its row shows the owner
        WebElement row = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> browser.findElements(By.cssSelector("#leads tr[data-lead-id='" + leadId + "']")), rows -> !rows.isEmpty())
                .get(0);
        assertThat(row.findElement(By.cssSelector(".owner")).getText()).isEqualTo("Simon");
        assertThat(row.findElement(By.cssSelector(".pipeline")).getText()).isEqualTo("Hands on");
        // and the Slack message rendered like Slack, with its header and buttons
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("#slack .slack-message")))
                        .anySatisfy(m -> {
                            // other messages (a hands-on lead's shared channel welcome) have no header: look, do not find
                            assertThat(m.findElements(By.cssSelector(".slack-header"))).extracting(WebElement::getText)
                                    .anySatisfy(header -> assertThat(header).contains(company));
                            assertThat(m.findElements(By.cssSelector(".to"))).extracting(WebElement::getText)
                                    .anySatisfy(to -> assertThat(to).contains("simon@example.com"));
                        }));
        Path screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "console-screenshot.png");
        Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).as("on loopback no token is asked for").isFalse();
    }

    @Test
    void aPersonClicksAMessagesButtonAsARepAndTheSandboxSendsTheClickToLeadIntake() {
        // given a rep's message with Accept and Pass buttons in the Slack sandbox, and the console open
        String title = "Click test " + UUID.randomUUID().toString().substring(0, 6);
        var posted = stack.slack().handle("POST", "chat.postMessage", "Bearer xoxb-browser-test", (ObjectNode) JsonMapper.builder().build()
                .readTree("""
                        {"channel": "U00SIMON001", "text": "%s", "blocks": [
                          {"type": "header", "text": {"type": "plain_text", "text": "%s"}},
                          {"type": "actions", "block_id": "leadflow_actions:NEW_LEAD:click", "elements": [
                            {"type": "button", "action_id": "lead.accept", "text": {"type": "plain_text", "text": "Accept"},
                             "value": "click:1", "style": "primary"},
                            {"type": "button", "action_id": "lead.pass", "text": {"type": "plain_text", "text": "Pass"}, "value": "click:1"}]}]}"""
                        .formatted(title, title)));
        assertThat(posted.body().path("ok").asBoolean()).isTrue();
        browser.get(stack.consoleUrl() + "/");
        WebElement accept = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                browser.findElements(By.cssSelector("#slack .slack-message[data-ts='" + posted.body().path("ts").asString()
                        + "'] button.slack-click[data-action-id='lead.accept']")), buttons -> !buttons.isEmpty()).get(0);
        assertThat(accept.getText()).isEqualTo("Accept");

        // when the person clicks Accept as the DM's rep
        accept.click();

        // then the console says the signed click went to lead-intake and what it answered
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(browser.findElement(By.id("slack-click-result")).getText())
                        .startsWith("Clicked lead.accept as U00SIMON001: lead-intake answered"));
    }

    @Test
    void aPersonPastesAChangedRulesFileRunsTheSimulationAndSeesTheLeadsOldAndNewOwnerOrTheLineOfAnError() throws Exception {
        // given a hands-on Enterprise lead Simon got, and the console open with the live rules in the editor
        Instant before = Instant.now().minusSeconds(1);
        String leadId = postEnterpriseLead("Simulated");
        browser.get(stack.consoleUrl() + "/#simulation");
        WebElement editor = browser.findElement(By.id("sim-rules"));
        String live = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> editor.getDomProperty("value"), value -> value != null && value.contains("owners:"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                !browser.findElements(By.cssSelector("#leads tr[data-lead-id='" + leadId + "']")).isEmpty());

        // when a file with a mistake is pasted and run, then its problem and line show next to the editor
        String broken = live.replaceFirst("weight: 1", "weight: -2");
        paste(editor, broken);
        browser.findElement(By.id("sim-run")).click();
        WebElement errors = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> browser.findElement(By.id("sim-errors")), WebElement::isDisplayed);
        int line = 1 + broken.lines().toList().indexOf(broken.lines().filter(l -> l.contains("weight: -2")).findFirst().orElseThrow());
        assertThat(errors.getText()).contains("not a valid rules file", "Line " + line, "reps[0].weight");

        // when the file giving Enterprise leads to Cameron is pasted, the window set to start before the lead, and run
        paste(editor, RoutingViewsTests.enterpriseToCameron(live));
        browser.executeScript("const d = new Date(arguments[1]), p = n => String(n).padStart(2, '0');"
                + "arguments[0].value = d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours())"
                + " + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());", browser.findElement(By.id("sim-from")), before.toEpochMilli());
        browser.findElement(By.id("sim-run")).click();

        // then the report lists the lead with Simon before and Cameron after, each with its reasons, and the error is gone
        WebElement change = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                browser.findElements(By.cssSelector("#sim-changes tr[data-lead-id='" + leadId + "']")), rows -> !rows.isEmpty()).get(0);
        List<WebElement> cells = change.findElements(By.tagName("td"));
        assertThat(cells.get(1).getText()).contains("owner");
        assertThat(cells.get(2).findElement(By.cssSelector(".owner")).getText()).isEqualTo("simon");
        assertThat(cells.get(2).getText()).contains("Simon looks after Enterprise customers");
        assertThat(cells.get(3).findElement(By.cssSelector(".owner")).getText()).isEqualTo("cameron");
        assertThat(cells.get(3).getText()).contains("Cameron looks after Enterprise customers");
        assertThat(Integer.parseInt(browser.findElement(By.id("sim-changed-total")).getText())).isPositive();
        assertThat(browser.findElement(By.id("sim-status")).getText()).contains("Nothing was published");
        assertThat(browser.findElement(By.id("sim-errors")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#sim-rule-hits tr[data-rule='owners/enterprise']"))).isNotEmpty();
        screenshot(change, "console-simulation.png");
    }

    @Test
    void showsTheSlaClockOfARoutedLeadWithItsOwnerStatusAndTimeLeft() throws Exception {
        // given the console is open
        browser.get(stack.consoleUrl() + "/#sla");

        // when a hands-on lead is routed to Simon
        String leadId = postEnterpriseLead("Clocked");

        // then its open clock shows, with the owner, the status, when it must be accepted and the time left
        WebElement row = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> browser.findElements(By.cssSelector("#sla tr[data-lead-id='" + leadId + "']")), rows -> !rows.isEmpty())
                .get(0);
        assertThat(row.findElement(By.cssSelector(".owner")).getText()).isEqualTo("Simon");
        assertThat(row.findElement(By.cssSelector(".policy")).getText()).isEqualTo("hands-on");
        assertThat(row.findElement(By.cssSelector(".status")).getText()).isEqualTo("Waiting");
        assertThat(row.findElement(By.cssSelector(".accept-by")).getText()).isNotBlank();
        assertThat(row.findElement(By.cssSelector(".time-left")).getText()).matches(".*\\d+ (d|h|min|s).*");
        assertThat(row.getDomAttribute("class")).isEqualTo("sla-open");
        screenshot(row, "console-sla.png");
    }

    private String postEnterpriseLead(String prefix) throws Exception {
        String company = prefix + " " + UUID.randomUUID().toString().substring(0, 6);
        var response = stack.webhooks().website(SampleLeads.websiteForm("browser-" + UUID.randomUUID(),
                SampleLeads.ENTERPRISE_EU.at(company, company.toLowerCase().replace(' ', '-') + ".de"), Instant.now()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JsonMapper.builder().build().readTree(response.body()).path("leadId").asString();
    }

    /** A picture of the page around {@code element}, in {@code target/}, for a person to look at. */
    private void screenshot(WebElement element, String name) throws Exception {
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        Path target = Path.of("target", name);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
    }

    /** Replaces the editor's text as a paste would, and tells the page it changed. */
    private void paste(WebElement editor, String text) {
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                editor, text);
    }

    @Test
    void beyondLoopbackAsksForTheAdminTokenOnceKeepsItForTheTabAndThenWorks() {
        try (TokenConsole console = new TokenConsole(stack)) {
            // given a console that listens beyond loopback, opened without a token
            browser.get(console.url() + "/");
            WebElement form = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> browser.findElement(By.id("token-form")), WebElement::isDisplayed);
            assertThat(browser.findElement(By.id("token-reason")).getText()).contains("LEADFLOW_ADMIN_TOKEN");
            assertThat(console.authorizationsSeenByTrialTracker).isEmpty();

            // when a wrong token is pasted, it is refused and asked for again
            browser.findElement(By.id("token-input")).sendKeys("not-the-token");
            browser.findElement(By.id("token-submit")).click();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(browser.findElement(By.id("token-reason")).getText()).contains("not valid"));

            // when the admin token is pasted
            browser.findElement(By.id("token-input")).sendKeys(TokenConsole.ADMIN_TOKEN);
            browser.findElement(By.id("token-submit")).click();

            // then the panels fill in, trials included (with the caller's own token), and the form goes away
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(browser.findElement(By.id("trials-body")).getText()).contains("Stub Trial Co"));
            assertThat(form.isDisplayed()).isFalse();
            assertThat(browser.findElements(By.cssSelector("#leads tbody tr"))).isNotEmpty();
            assertThat(console.authorizationsSeenByTrialTracker).allSatisfy(seen -> assertThat(seen).isEqualTo("Bearer " + TokenConsole.ADMIN_TOKEN));

            // and after a reload the tab still has it: no question asked
            browser.navigate().refresh();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(browser.findElement(By.id("trials-body")).getText()).contains("Stub Trial Co"));
            assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
        }
    }
}
