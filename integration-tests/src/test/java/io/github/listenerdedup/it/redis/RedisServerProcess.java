package io.github.listenerdedup.it.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process of a test's own, on a free loopback port, without persistence, for the faults and
 * commands that must never reach the shared server. Stop it in {@code @AfterAll}; a JVM that exits stops it too.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final String BINARY = env("DEDUP_TEST_REDIS_SERVER", "redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final List<String> extraArguments;
    private final Path directory;
    private Process process;

    private RedisServerProcess(int port, List<String> extraArguments) throws IOException {
        this.port = port;
        this.extraArguments = List.copyOf(extraArguments);
        this.directory = Files.createTempDirectory("redis-it-" + port + "-");
    }

    /**
     * Starts a server on a free port.
     *
     * @param extraArguments more {@code redis-server} arguments, for example {@code --replicaof host port}
     * @return the running server
     */
    static RedisServerProcess start(String... extraArguments) {
        try {
            RedisServerProcess server = new RedisServerProcess(freePort(), List.of(extraArguments));
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the port it listens on */
    int port() {
        return port;
    }

    /**
     * Builds the URI of this server.
     *
     * @param query a query string such as {@code timeout=500ms}, or empty
     * @return the URI
     */
    String uri(String query) {
        return "redis://127.0.0.1:" + port + (query.isEmpty() ? "" : "?" + query);
    }

    /** Starts the process again on the same port, empty, after {@link #stop()}. */
    void restart() {
        List<String> command = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString()));
        command.addAll(extraArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + BINARY + " (" + e.getMessage() + "): install "
                    + "Redis 7 (for example 'apt-get install redis-server') or point DEDUP_TEST_REDIS_SERVER at "
                    + "its redis-server binary", e);
        }
        ProcessHandle handle = process.toHandle();
        Runtime.getRuntime().addShutdownHook(new Thread(handle::destroyForcibly));
        await().atMost(START_TIMEOUT).until(() -> answersPing() || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException(BINARY + " on port " + port + " exited at start: " + log());
        }
    }

    /** @return whether the process runs */
    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the process and waits until it has gone. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Stops the process and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a port nothing listens on now */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
