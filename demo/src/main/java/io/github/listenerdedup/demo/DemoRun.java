package io.github.listenerdedup.demo;

import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One run of the demo: opens the store and the broker, starts the consumers, publishes the plan, waits until every
 * delivery is settled (bounded), stops the consumers, and prints the summary and the verdict. Everything it opened
 * is closed before it returns.
 */
public final class DemoRun {

    /**
     * How long claims are kept: the run removes its claims from Redis at the end, and should it die first, they
     * expire after this.
     */
    static final Duration RETENTION = Duration.ofMinutes(15);

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final DemoOptions options;
    private final EventPlan plan;
    private final PrintStream out;
    private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final OutcomeTally tally = new OutcomeTally();
    private final HandlingLedger ledger = new HandlingLedger();

    /**
     * Prepares a run.
     *
     * @param options the options
     * @param plan    what to publish
     * @param out     where the progress, the summary and the verdict go
     */
    public DemoRun(DemoOptions options, EventPlan plan, PrintStream out) {
        this.options = options;
        this.plan = plan;
        this.out = out;
    }

    /**
     * Runs the demo.
     *
     * @return the exit code: 0 when the verdict passed, 1 when it failed
     * @throws DemoSetupException when the store or the broker cannot be used
     * @throws Exception          when the broker fails during the run
     */
    public int run() throws Exception {
        DedupSettings settings = DedupSettings.builder().group("demo-" + runId).retention(RETENTION).build();
        out.println("listener-dedup demo, run " + runId);
        out.println("  events    " + plan.describe() + " (" + plan.source() + ")");
        try (DemoStore store = DemoStore.open(options)) {
            out.println("  store     " + store.describe() + ", group " + settings.group());
            try (DemoMessaging messaging = openMessaging()) {
                out.println("  broker    " + messaging.describe());
                out.println("  consumers " + options.consumers());
                Verdict verdict = consume(messaging, new Deduplicator(settings, store.store(), tally), store);
                int removed = store.removeClaims(settings, plan.eventIds());
                if (removed > 0) {
                    out.println("Removed the run's " + removed + " claims from the store.");
                }
                out.println(verdict.line());
                return verdict.exitCode();
            }
        }
    }

    private DemoMessaging openMessaging() throws Exception {
        return switch (options.broker()) {
            case EMBEDDED_ACTIVEMQ -> JmsMessaging.embedded(runId);
            case ACTIVEMQ -> JmsMessaging.external(options.brokerUrl(), runId);
            case RABBITMQ -> RabbitMessaging.connect(options.brokerUrl(), runId);
        };
    }

    private Verdict consume(DemoMessaging messaging, Deduplicator deduplicator, DemoStore store) throws Exception {
        messaging.startConsumers(options.consumers(), deduplicator, new DemoHandler(ledger, plan.failFirstIds()));
        long started = System.nanoTime();
        messaging.publish(plan.deliveries());
        out.println("Published " + plan.deliveries().size() + " deliveries; waiting for them to settle (at most "
                + options.timeout().toSeconds() + " s)");
        boolean settled = awaitSettled();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        messaging.stopConsumers();
        DemoMessaging.QueueCounts counts = messaging.queueCounts();
        printSummary(counts, store.store().heldDeliveries(), elapsed);
        return Verdict.judge(plan.eventIds(), ledger.handledCounts(), counts.remaining(),
                settled ? null : options.timeout());
    }

    private void printSummary(DemoMessaging.QueueCounts counts, int held, Duration elapsed) {
        RunReport report = new RunReport(plan.eventIds().size(), plan.deliveries().size(), ledger.totalHandled(),
                ledger.failuresInjected(), ledger.failuresRecovered(), tally.nonZero(), held, counts, elapsed);
        out.println();
        report.summaryLines().forEach(out::println);
        out.println();
    }

    private boolean awaitSettled() throws InterruptedException {
        long waitStarted = System.nanoTime();
        long deadline = waitStarted + options.timeout().toNanos();
        long nextProgress = waitStarted + PROGRESS_EVERY.toNanos();
        int published = plan.deliveries().size();
        while (tally.settled() < published) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                out.println("Timed out after " + options.timeout().toSeconds() + " s: " + tally.settled() + " of "
                        + published + " deliveries settled; stopping the consumers");
                return false;
            }
            if (now - nextProgress >= 0) {
                out.println("  ... " + tally.settled() + " of " + published + " deliveries settled");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
