package io.github.listenerdedup.demo;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs the demo from the command line: publishes events with duplicates and failing first tries, consumes them
 * through listener-dedup with several consumers, and checks that each event was handled exactly once.
 *
 * <pre>{@code
 * java -jar demo/target/listener-dedup-demo.jar
 * java -jar demo/target/listener-dedup-demo.jar --broker rabbitmq --store redis
 * java -jar demo/target/listener-dedup-demo.jar --input demo/events-sample.jsonl
 * }</pre>
 *
 * <p>Exit code 0 when the verdict passed, 1 when it failed or a service could not be used, 2 for a bad option or
 * input line (nothing is started then).
 */
public final class DemoApplication {

    /** Exit code for a passed verdict, and for {@code --help}. */
    public static final int EXIT_PASSED = 0;
    /** Exit code for a failed verdict, or a service that could not be used. */
    public static final int EXIT_FAILED = 1;
    /** Exit code for a bad option or input line. */
    public static final int EXIT_USAGE = 2;

    private DemoApplication() {
    }

    /**
     * Runs the demo and exits with its code.
     *
     * @param args the options; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * Runs the demo.
     *
     * @param args the options
     * @param out  where the summary and the verdict go
     * @param err  where errors go
     * @return the exit code
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        DemoOptions options;
        EventPlan plan;
        try {
            options = new OptionsParser().parse(args);
            if (options.helpRequested()) {
                out.println(OptionsParser.helpText());
                return EXIT_PASSED;
            }
            plan = options.input() == null ? EventPlanGenerator.generate(options.events(), options.seed())
                    : new JsonLinesEventReader().read(options.input());
        } catch (UsageException e) {
            err.println("Error: " + e.getMessage());
            err.println("Run with --help to see the options.");
            return EXIT_USAGE;
        }
        try {
            return new DemoRun(options, plan, out).run();
        } catch (DemoSetupException e) {
            err.println("Error: " + e.getMessage());
            return EXIT_FAILED;
        } catch (Exception e) {
            err.println("Error: the demo failed: " + e);
            e.printStackTrace(err);
            return EXIT_FAILED;
        }
    }
}
