package io.leadflow.localstack;

import io.leadflow.crm.CrmSyncApplication;
import io.leadflow.intake.LeadIntakeApplication;
import io.leadflow.localstack.broker.LocalKafkaBroker;
import io.leadflow.localstack.console.ConsoleApplication;
import io.leadflow.localstack.console.ConsoleSettings;
import io.leadflow.localstack.console.KafkaView;
import io.leadflow.localstack.demo.DemoFeed;
import io.leadflow.localstack.demo.WebhookClient;
import io.leadflow.localstack.demo.WebhookSecrets;
import io.leadflow.sandbox.slack.SlackInteractions;
import io.leadflow.sandbox.slack.SlackSandbox;
import io.leadflow.sandbox.slack.SlackSandboxWeb;
import io.leadflow.localstack.system.AdminToken;
import io.leadflow.localstack.system.Binding;
import io.leadflow.localstack.system.DataDirectory;
import io.leadflow.localstack.system.EmbeddedService;
import io.leadflow.localstack.system.LocalStackOptions;
import io.leadflow.localstack.system.Ports;
import io.leadflow.localstack.system.StartupBanner;
import io.leadflow.notifier.RepNotifierApplication;
import io.leadflow.platform.privacy.PersonalKeys;
import io.leadflow.registry.SchemaRegistryConfig;
import io.leadflow.registry.SchemaRegistryServer;
import io.leadflow.routing.RoutingServiceApplication;
import io.leadflow.sandbox.SandboxStore;
import io.leadflow.sandbox.hubspot.DealStageWebhooks;
import io.leadflow.sandbox.hubspot.HubSpotSandbox;
import io.leadflow.sandbox.hubspot.HubSpotSandboxSettings;
import io.leadflow.schemas.serde.AvroTrust;
import io.leadflow.trials.TrialTrackerApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: one JVM running a real KRaft Kafka broker, the schema registry, every Leadflow
 * service in its own Spring context, the HubSpot and Slack sandboxes and the console. Data lives under
 * the data directory and survives restarts.
 *
 * <p>Start it with {@link #main} ({@code ./leadflow}), or from code with {@link #start(LocalStackOptions)}
 * (the end-to-end tests do) and stop it with {@link #close()}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    public static final String INTAKE = "lead-intake";
    public static final String ROUTING = "routing-service";
    public static final String CRM = "crm-sync";
    public static final String TRIALS = "trial-tracker";
    public static final String NOTIFIER = "rep-notifier";

    /** The generated admin token's file in the data directory (owner-only), while the stack runs. */
    static final String ADMIN_TOKEN_FILE = "admin-token";
    /** The privacy key's file in the data directory (owner-only), kept across runs: erasures are named under it. */
    static final String PRIVACY_KEY_FILE = "privacy-key";
    static final String PRIVACY_KEY_ENV = "LEADFLOW_PRIVACY_KEY";

    private final LocalStackOptions options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, EmbeddedService> services = new LinkedHashMap<>();
    private LocalKafkaBroker broker;
    private SchemaRegistryServer registry;
    private HubSpotSandbox hubspot;
    private SlackSandbox slack;
    private ConfigurableApplicationContext console;
    private PersonalKeys consoleKeys;
    private WebhookSecrets secrets;
    private boolean hubspotSandbox;
    private boolean slackSandbox;
    private List<String> unsignedSources = List.of();
    private volatile boolean closed;
    private String trialPipelineId;
    private AdminToken adminToken;
    private Path adminTokenFile;
    private String privacyKey;
    private String trialStageId;
    /** Credentials the services send to the sandboxes, made up per run; beyond loopback the sandboxes require exactly these. */
    private final String hubspotSandboxToken = "pat-local-" + StackSecrets.randomHex();
    private final String slackSandboxToken = "xoxb-local-" + StackSecrets.randomHex();
    /**
     * The Slack app's signing secret lead-intake verifies clicks with: the user's, or with the Slack sandbox one made up
     * for this run; null with the real Slack and none set.
     */
    private String slackSigningSecret;
    private SlackInteractions slackInteractions;

    /** lead-intake's setting: the Slack app's signing secret(s), comma-separated while one is being rotated. */
    static final String SLACK_SIGNING_SECRET = "LEADFLOW_SLACK_SIGNING_SECRET";
    /** Where Slack posts clicks (the app's interactivity request URL) on lead-intake. */
    static final String SLACK_INTERACTIONS_PATH = "/webhooks/slack/interactions";

    /** trial-tracker's settings naming the HubSpot pipeline and stage that start a trial. */
    static final String TRIALS_PIPELINE_KEY = "leadflow.trials.hands-on-pipeline-id";
    static final String TRIALS_STAGE_KEY = "leadflow.trials.trial-stage-id";

    private LocalStack(LocalStackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args, name -> {
                String value = System.getProperty(name);
                return value != null ? value : System.getenv(name);
            });
        } catch (LocalStackOptions.UsageRequested e) {
            System.out.println(LocalStackOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LocalStackOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = start(options);
        } catch (RuntimeException e) {
            log.error("The local stack did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "leadflow-shutdown"));
        System.out.println(StartupBanner.render(stack));
    }

    /** Starts everything, in dependency order; on failure, stops what already runs and rethrows. */
    public static LocalStack start(LocalStackOptions options) {
        // Logging is configured once for the JVM (logback.xml); the services' contexts must not re-initialise it.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            // Tomcat logs through java.util.logging; route it to the same place as everything else.
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        AvroTrust.admitGeneratedClasses();
        LocalStack stack = new LocalStack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        Ports ports = options.ports();
        DataDirectory data = DataDirectory.open(options.dataDir(), options.reset());
        resources.add(data);

        broker = LocalKafkaBroker.start(data.kafka(), ports.kafka(), ports.kafkaController());
        resources.add(broker);

        // The registry has no authentication either: this machine only, whatever --bind says.
        registry = SchemaRegistryServer.start(SchemaRegistryConfig.defaults(broker.bootstrapServers())
                .withHost(Binding.LOOPBACK).withPort(ports.registry()));
        resources.add(registry);

        secrets = WebhookSecrets.from(options.lookup());
        adminToken = AdminToken.decide(options.binding(), options.lookup());
        if (adminToken.generated()) {
            adminTokenFile = StackSecrets.writeOwnerOnly(data.root().resolve(ADMIN_TOKEN_FILE), adminToken.value());
            Path written = adminTokenFile;
            resources.add(() -> Files.deleteIfExists(written));
        }
        privacyKey = StackSecrets.privacyKey(options.get(PRIVACY_KEY_ENV), data.root().resolve(PRIVACY_KEY_FILE));
        hubspotSandbox = options.get("LEADFLOW_HUBSPOT_TOKEN") == null;
        slackSandbox = options.get("LEADFLOW_SLACK_BOT_TOKEN") == null;
        unsignedSources = secrets.signedBySource().entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        String givenSigningSecret = options.get(SLACK_SIGNING_SECRET);
        // With the Slack sandbox the stack is the Slack app: it makes up the app's signing secret unless one is set.
        // With the real Slack, lead-intake gets only the secret the user set.
        slackSigningSecret = givenSigningSecret != null && !givenSigningSecret.isBlank() ? givenSigningSecret
                : slackSandbox ? "local-" + StackSecrets.randomHex() : null;
        List<EmbeddedService> defined = defineServices(data);
        startSandboxes(data, defined);
        startConsole();
        startServices(defined);
        if (options.demo()) {
            DemoFeed feed = DemoFeed.start(webhooks(), this::startOneTrial, options.demoEvery());
            resources.add(feed);
        }
    }

    private void startSandboxes(DataDirectory data, List<EmbeddedService> defined) {
        HubSpotSandboxSettings settings = HubSpotSandboxSettings.defaults().withPipelines(sandboxPipelines(defined));
        hubspot = new HubSpotSandbox(settings, Clock.systemUTC());
        // every change the HubSpot sandbox answers is journalled to disk first: a killed stack keeps what crm-sync saw done
        SandboxStore hubspotStore = new SandboxStore(data.sandbox().resolve("hubspot.json"));
        hubspot.persistTo(hubspotStore);
        Map<String, String> slackUsers = new LinkedHashMap<>();
        settings.owners().forEach(o -> slackUsers.put(SandboxSetup.slackUserOf(o.email()), o.email()));
        slack = new SlackSandbox(Clock.systemUTC(), 5, 2000, slackUsers);
        if (adminToken.forEveryService() != null) {
            // The sandbox's fault controls are an admin endpoint like the console's API.
            hubspot.requireAdminToken(adminToken.forEveryService());
        }
        if (!options.binding().loopbackOnly()) {
            // Reachable from other machines: only the services of this stack may call the sandboxes.
            hubspot.requireToken(hubspotSandboxToken);
            slack.requireToken(slackSandboxToken);
        }
        // Every message the sandbox answers is on disk before the answer (slack.json and its journal): a killed stack
        // never forgets a message rep-notifier recorded as sent.
        slack.persistIn(data.sandbox());
        resources.add(slack::close);
        // A click in the console reaches lead-intake as Slack's would: signed with the app's signing secret (the
        // first one while secrets are being rotated).
        slackInteractions = new SlackInteractions(URI.create(intakeUrl() + SLACK_INTERACTIONS_PATH),
                consoleUrl() + SlackSandboxWeb.RESPONSE_URL_PATH,
                slackSigningSecret == null ? "unused-" + StackSecrets.randomHex() : slackSigningSecret.split(",")[0].trim(), Clock.systemUTC());

        resources.add(() -> {
            try {
                // a clean stop starts the next run from one snapshot
                hubspot.saveTo(hubspotStore);
            } catch (RuntimeException e) {
                log.warn("Could not compact the HubSpot sandbox's state: {}", e.getMessage());
            }
            hubspotStore.close();
        });

        // HubSpot tells lead-intake about deal stage changes through its webhook, as a real portal's app subscription does.
        DealStageWebhooks stageWebhooks = new DealStageWebhooks(URI.create(webhooks().url("/webhooks/hubspot")), secrets.hubspot(),
                Long.parseLong(settings.portalId()), Clock.systemUTC());
        resources.add(stageWebhooks::close);
        hubspot.onDealStageChange(change -> {
            if (!closed) {
                stageWebhooks.accept(change);
            }
        });
    }

    private void startConsole() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.bootstrapServers()));
        kafka.getProperties().put("schema.registry.url", registry.url());
        consoleKeys = new PersonalKeys(privacyKey, kafka, Duration.ofSeconds(10), Clock.systemUTC());
        consoleKeys.start();
        resources.add(consoleKeys::close);
        KafkaView kafkaView = new KafkaView(broker.bootstrapServers(), registry.url(), consoleKeys);
        resources.add(kafkaView);
        ConsoleSettings settings = new ConsoleSettings(intakeUrl(), trialsUrl(), serviceUrl(ROUTING), adminToken.value(), endpoints(), hubspotSandbox,
                slackSandbox, unsignedSources);
        try {
            console = ConsoleApplication.start(options.ports().console(), options.binding().address(), adminToken.forEveryService(),
                    settings, kafkaView, hubspot, slack, slackInteractions, webhooks());
        } catch (RuntimeException e) {
            throw new IllegalStateException("The console did not start on port " + options.ports().console() + ": " + e.getMessage(), e);
        }
        resources.add(console::close);
    }

    /**
     * The sandbox portal's deal pipelines, shaped to what the services are configured with: crm-sync's
     * self-serve and hands-on pipelines and first stages, and trial-tracker's evaluation stage, so that
     * crm-sync's start-up check passes and a deal moved into evaluation starts a trial.
     */
    private List<HubSpotSandboxSettings.Pipeline> sandboxPipelines(List<EmbeddedService> defined) {
        EmbeddedService crm = defined.stream().filter(s -> s.name().equals(CRM)).findFirst().orElseThrow();
        EmbeddedService trials = defined.stream().filter(s -> s.name().equals(TRIALS)).findFirst().orElseThrow();
        String selfServe = crm.preview("leadflow.crm.pipelines.self-serve.id").orElse("default");
        String selfServeStage = crm.preview("leadflow.crm.pipelines.self-serve.stage").orElse("appointmentscheduled");
        String handsOn = crm.preview("leadflow.crm.pipelines.hands-on.id").orElse("hands-on");
        String handsOnStage = crm.preview("leadflow.crm.pipelines.hands-on.stage").orElse("hands-on-qualified");
        trialPipelineId = trials.preview(TRIALS_PIPELINE_KEY).orElse(handsOn);
        trialStageId = trials.preview(TRIALS_STAGE_KEY).orElse("hands-on-evaluation");

        return SandboxSetup.pipelines(selfServe, selfServeStage, handsOn, handsOnStage, trialPipelineId, trialStageId);
    }

    private List<EmbeddedService> defineServices(DataDirectory data) {
        Ports ports = options.ports();
        Map<String, String> common = commonProperties();
        boolean allowUnsigned = options.get("LEADFLOW_INTAKE_ALLOW_UNSIGNED") != null
                ? Boolean.parseBoolean(options.get("LEADFLOW_INTAKE_ALLOW_UNSIGNED"))
                : !secrets.allSigned();
        if (allowUnsigned) {
            log.warn("lead-intake accepts UNSIGNED webhooks from {} (LEADFLOW_INTAKE_ALLOW_UNSIGNED=true): "
                    + "fine on a laptop, never in production. Set the sources' secrets to require signatures.", unsignedSources);
        }

        Map<String, String> intake = new LinkedHashMap<>(common);
        intake.put("leadflow.intake.allow-unsigned", Boolean.toString(allowUnsigned));
        intake.put("LEADFLOW_INTAKE_ALLOW_UNSIGNED", Boolean.toString(allowUnsigned));
        if (slackSigningSecret != null) {
            intake.put(SLACK_SIGNING_SECRET, slackSigningSecret);
        }

        Map<String, String> routing = new LinkedHashMap<>(common);
        routing.put("LEADFLOW_ROUTING_STATE_DIR", data.state(ROUTING).toString());
        routing.put("spring.kafka.streams.state-dir", data.state(ROUTING).toString());

        Map<String, String> crm = new LinkedHashMap<>(common);
        Map<String, String> trials = new LinkedHashMap<>(common);
        // The trials API needs a token even on loopback: the stack's, made up for this run unless LEADFLOW_ADMIN_TOKEN is set.
        trials.put("leadflow.admin.token", adminToken.value());
        trials.put("LEADFLOW_TRIALS_STATE_DIR", data.state(TRIALS).toString());
        trials.put("spring.kafka.streams.state-dir", data.state(TRIALS).toString());

        if (options.demo()) {
            // A compressed clock for the demo: check-ins every two minutes instead of every week.
            trials.put("leadflow.trials.schedule.check-in-every", "2m");
        }

        Map<String, String> notifier = new LinkedHashMap<>(common);

        if (hubspotSandbox) {
            SandboxSetup.useHubSpotSandbox(consoleUrl(), hubspotSandboxToken, crm, trials, notifier);
        }
        if (slackSandbox) {
            SandboxSetup.useSlackSandbox(consoleUrl(), slackSandboxToken, notifier);
        }

        return List.of(
                new EmbeddedService(INTAKE, LeadIntakeApplication.class, ports.intake(), intake),
                new EmbeddedService(ROUTING, RoutingServiceApplication.class, ports.routing(), routing),
                new EmbeddedService(CRM, CrmSyncApplication.class, ports.crm(), crm),
                new EmbeddedService(TRIALS, TrialTrackerApplication.class, ports.trials(), trials),
                new EmbeddedService(NOTIFIER, RepNotifierApplication.class, ports.notifier(), notifier));
    }

    /** Starts the services side by side (their start-ups mostly wait on Kafka), failing with every service that did not start. */
    private void startServices(List<EmbeddedService> all) {
        ExecutorService starter = Executors.newFixedThreadPool(all.size(), r -> new Thread(r, "leadflow-service-start"));
        try {
            List<Future<EmbeddedService>> started = new ArrayList<>();
            for (EmbeddedService service : all) {
                started.add(starter.submit(service::start));
            }
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                EmbeddedService service = all.get(i);
                try {
                    started.get(i).get(5, TimeUnit.MINUTES);
                    services.put(service.name(), service);
                } catch (ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                } catch (java.util.concurrent.TimeoutException e) {
                    failures.add(service.name() + " did not start within 5 minutes");
                }
            }
            // Services are stopped in reverse order of this list, producers of what others read last.
            all.forEach(s -> {
                if (s.context() != null) {
                    resources.add(s);
                    services.putIfAbsent(s.name(), s);
                }
            });
            if (!failures.isEmpty()) {
                throw new IllegalStateException(String.join("; ", failures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the services", e);
        } finally {
            starter.shutdown();
        }
    }

    /**
     * Starts one trial the way a rep would: moves a hands-on deal of the HubSpot sandbox that is not yet in
     * the evaluation stage into it. The sandbox then sends HubSpot's deal-stage webhook to lead-intake, and
     * trial-tracker starts the clock. With the real HubSpot, the demo leaves deals alone.
     */
    void startOneTrial() {
        if (!hubspotSandbox) {
            return;
        }
        String[] stage = trialStage();
        for (var deal : hubspot.objects("deals")) {
            var properties = deal.path("properties");
            if (stage[0].equals(properties.path("pipeline").asString("")) && !stage[1].equals(properties.path("dealstage").asString(""))
                    && !properties.path("leadflow_demo_trial").asBoolean(false)) {
                if (hubspot.updateDeal(deal.path("id").asString(), Map.of("dealstage", stage[1], "leadflow_demo_trial", "true"))) {
                    log.info("Demo: moved deal {} ({}) into the evaluation stage", deal.path("id").asString(),
                            properties.path("dealname").asString(""));
                }
                return;
            }
        }
    }

    /** The HubSpot pipeline id and the stage id that start a trial, as trial-tracker is configured. */
    public String[] trialStage() {
        return new String[] {trialPipelineId, trialStageId};
    }

    /** What every service gets: the broker, the registry, quiet start-up, and the environment's LEADFLOW_* settings. */
    private Map<String, String> commonProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        options.env().forEach((k, v) -> {
            if (k.startsWith("LEADFLOW_")) {
                props.put(k, v);
            }
        });
        props.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("LEADFLOW_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        props.put("spring.kafka.properties.schema.registry.url", registry.url());
        props.put("LEADFLOW_SCHEMA_REGISTRY_URL", registry.url());
        props.put("spring.main.banner-mode", "off");
        props.put("spring.jmx.enabled", "false");
        props.put("server.address", options.binding().address());
        // Admin endpoints: open to the local user on loopback unless a token was set; beyond loopback always token-protected.
        props.put("leadflow.admin.token", adminToken.forEveryService() == null ? "" : adminToken.forEveryService());
        props.put(AdminToken.ENV, adminToken.forEveryService() == null ? "" : adminToken.forEveryService());
        // every service names an erased person by the same key
        props.put("leadflow.privacy.key", privacyKey);
        props.put(PRIVACY_KEY_ENV, privacyKey);
        return props;
    }

    // ---------------------------------------------------------------------------------------------
    // What runs where

    public LocalStackOptions options() {
        return options;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    /** The data keys the console opens personal fields with (the stack's {@code LEADFLOW_PRIVACY_KEY}). */
    PersonalKeys personalKeys() {
        return consoleKeys;
    }

    public String consoleUrl() {
        return http(options.ports().console());
    }

    public String intakeUrl() {
        return http(options.ports().intake());
    }

    public String trialsUrl() {
        return http(options.ports().trials());
    }

    public String serviceUrl(String name) {
        return switch (name) {
            case INTAKE -> intakeUrl();
            case ROUTING -> http(options.ports().routing());
            case CRM -> http(options.ports().crm());
            case TRIALS -> trialsUrl();
            case NOTIFIER -> http(options.ports().notifier());
            default -> throw new IllegalArgumentException("No service named " + name);
        };
    }

    private String http(int port) {
        return "http://" + options.binding().urlHost() + ":" + port;
    }

    /** Every service's Spring context, by name. */
    public Map<String, ConfigurableApplicationContext> services() {
        Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();
        services.forEach((name, s) -> contexts.put(name, s.context()));
        return contexts;
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public HubSpotSandbox hubspot() {
        return hubspot;
    }

    public SlackSandbox slack() {
        return slack;
    }

    /** Sends the sandbox's clicks to lead-intake, signed with the stack's Slack signing secret. */
    public SlackInteractions slackInteractions() {
        return slackInteractions;
    }

    public boolean usesHubSpotSandbox() {
        return hubspotSandbox;
    }

    public boolean usesSlackSandbox() {
        return slackSandbox;
    }

    public List<String> unsignedSources() {
        return unsignedSources;
    }

    /** The bearer token of trial-tracker's API ({@code LEADFLOW_ADMIN_TOKEN}, or one made up for this run). */
    public String adminToken() {
        return adminToken.value();
    }

    /** The admin token with who needs it; never print {@link AdminToken#value()}. */
    public AdminToken admin() {
        return adminToken;
    }

    /** Where a token made up for this run is kept (readable by its owner only), or null when the user set one. */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    public Binding binding() {
        return options.binding();
    }

    public WebhookSecrets secrets() {
        return secrets;
    }

    /** A client posting webhooks to this stack's lead-intake, signed where a secret is set. */
    public WebhookClient webhooks() {
        return new WebhookClient(intakeUrl(), secrets, Clock.systemUTC());
    }

    /** Name → URL of everything that listens, in start order. */
    public Map<String, String> endpoints() {
        Ports ports = options.ports();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("Kafka broker", bootstrapServers());
        endpoints.put("Schema registry", registryUrl());
        endpoints.put(INTAKE, intakeUrl());
        endpoints.put(ROUTING, serviceUrl(ROUTING));
        endpoints.put(CRM, serviceUrl(CRM));
        endpoints.put(TRIALS, trialsUrl());
        endpoints.put(NOTIFIER, serviceUrl(NOTIFIER));
        endpoints.put("Console", consoleUrl());
        return endpoints;
    }

    /** Stops everything in reverse start order: demo, services, console, sandboxes, registry, broker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", resources.get(i), e.getMessage());
            }
        }
        resources.clear();
        services.clear();
    }
}
