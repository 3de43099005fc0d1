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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process of a test's own, on a free loopback port, without persistence, for the faults and
 * commands that must never reach the shared server: a plain server, a node of Redis Cluster or a Sentinel. A replica
 * of it is synchronised at once (no diskless-sync delay). Stop it in {@code @AfterAll}; a JVM that exits stops it
 * too.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final String BINARY = env("DEDUP_TEST_REDIS_SERVER", "redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final int CLUSTER_BUS_OFFSET = 10_000;
    private static final int LOWEST_CLUSTER_PORT = 20_000;
    private static final int CLUSTER_PORTS = 30_000;

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
    public static RedisServerProcess start(String... extraArguments) {
        try {
            return started(new RedisServerProcess(freePort(), List.of(extraArguments)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts an empty node of Redis Cluster on a free port whose cluster bus port (the port + 10000) is free too.
     *
     * @param extraArguments more {@code redis-server} arguments
     * @return the running node, not yet part of a cluster
     */
    static RedisServerProcess startClusterNode(String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                "nodes.conf", "--cluster-node-timeout", "2000"));
        arguments.addAll(List.of(extraArguments));
        try {
            return started(new RedisServerProcess(freePortWithClusterBus(), arguments));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a Sentinel on a free port that monitors one primary, with a quorum of one.
     *
     * @param primaryName the name Sentinel gives the primary
     * @param primaryPort the primary's port on loopback
     * @param downAfter   how long the primary may stay silent before Sentinel fails it over
     * @return the running Sentinel
     */
    static RedisServerProcess startSentinel(String primaryName, int primaryPort, Duration downAfter) {
        try {
            RedisServerProcess sentinel = new RedisServerProcess(freePort(), List.of("--sentinel"));
            Files.writeString(sentinel.directory.resolve("sentinel.conf"), String.join("\n",
                    "sentinel monitor " + primaryName + " 127.0.0.1 " + primaryPort + " 1",
                    "sentinel down-after-milliseconds " + primaryName + " " + downAfter.toMillis(),
                    "sentinel failover-timeout " + primaryName + " 10000",
                    "sentinel parallel-syncs " + primaryName + " 1", ""));
            return started(sentinel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServerProcess started(RedisServerProcess server) {
        server.restart();
        return server;
    }

    /** @return the directory that holds its files, deleted on {@link #close()} */
    Path directory() {
        return directory;
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    /**
     * Builds the URI of this server.
     *
     * @param query a query string such as {@code timeout=500ms}, or empty
     * @return the URI
     */
    public String uri(String query) {
        return "redis://127.0.0.1:" + port + (query.isEmpty() ? "" : "?" + query);
    }

    /** Starts the process again on the same port, empty, after {@link #stop()}. */
    public void restart() {
        List<String> command = new ArrayList<>();
        command.add(BINARY);
        boolean sentinel = extraArguments.contains("--sentinel");
        if (sentinel) {
            command.add(directory.resolve("sentinel.conf").toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", directory.toString()));
        if (!sentinel) {
            command.addAll(List.of("--repl-diskless-sync-delay", "0"));
        }
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
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the process and waits until it has gone. */
    public void stop() {
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

    private static int freePortWithClusterBus() {
        for (int tries = 0; tries < 100; tries++) {
            int port = LOWEST_CLUSTER_PORT + ThreadLocalRandom.current().nextInt(CLUSTER_PORTS);
            if (isFree(port) && isFree(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("Found no free port whose cluster bus port is free too");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the server answers PING, with PONG or, when it wants a password, with NOAUTH. */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.equals("-NOAUTH");
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

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
