package io.github.listenerdedup.it.jms;

import io.github.listenerdedup.CapturedLogs;
import java.util.List;

/**
 * Captures what a logger writes while a test step runs, for steps that throw checked exceptions.
 */
final class TestLogs {

    /** A test step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private TestLogs() {
    }

    /**
     * Runs a step and returns the lines the logger of a class wrote meanwhile, from any thread.
     *
     * @param source the class whose logger to capture
     * @param step   the step
     * @return one line per event, as {@code LEVEL logger - message}
     */
    static List<String> during(Class<?> source, Step step) {
        return during(source.getName(), step);
    }

    /**
     * Runs a step and returns the lines a logger, and the loggers below it, wrote meanwhile, from any thread.
     *
     * @param loggerName the logger's name, for example a package's
     * @param step       the step
     * @return one line per event, as {@code LEVEL logger - message}
     */
    static List<String> during(String loggerName, Step step) {
        String captured = CapturedLogs.during(loggerName, () -> {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return captured.isEmpty() ? List.of() : captured.lines().toList();
    }

    /**
     * The lines of one level.
     *
     * @param lines captured lines
     * @param level for example {@code WARN}
     * @return the lines of that level, without the level and logger
     */
    static List<String> messages(List<String> lines, String level) {
        return lines.stream()
                .filter(line -> line.startsWith(level + " "))
                .map(line -> line.substring(line.indexOf(" - ") + 3))
                .toList();
    }
}
