package io.github.listenerdedup.it.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool the tests need besides {@code redis-server}, such as {@code redis-cli} or openssl. */
final class ExternalCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ExternalCommand() {
    }

    /**
     * Runs the command and waits for it.
     *
     * @param command      the program and its arguments
     * @param howToInstall what to tell when the program cannot be started
     * @return what the command wrote, standard error included
     * @throws IllegalStateException when it cannot start, fails or takes too long
     */
    static String run(List<String> command, String howToInstall) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + command.get(0) + " (" + e.getMessage() + "): "
                    + howToInstall, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }
}
