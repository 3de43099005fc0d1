package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimSnapshot;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.ClaimStore;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.core.RetryingClaimStore;
import io.github.listenerdedup.core.StoreRetrySettings;
import io.github.listenerdedup.it.redis.AdminConnection.PauseMode;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The token rule against real faults on a Redis process of the test's own: a claim, completion or release runs on
 * the server but its reply never reaches the caller, because the server stalls past the client timeout
 * ({@code DEBUG SLEEP}) or the connection is dropped right after the command ran ({@code CLIENT KILL}). The call,
 * retried with the same token, must give the answer the first call would have given, and leave the key with the
 * right owner and state. Each test first loads the scripts, so the call whose reply is lost really runs on the
 * server instead of answering {@code NOSCRIPT}.
 */
class RedisClaimStoreReplyLostIT {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration STALL = Duration.ofMillis(1_500);
    private static final Duration WRITE_PAUSE = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern BLOCKED_SCRIPT_CLIENT = Pattern.compile("id=(\\d+) .*flags=b .*cmd=evalsha");

    private static RedisServerProcess server;
    private static AdminConnection admin;

    private final String group = "reply-lost-" + UUID.randomUUID();
    private final ClaimKey key = new ClaimKey("dedup", group, "E7");
    private final OwnerToken token = OwnerToken.random();

    /** The store operation whose reply is lost. */
    enum Operation {
        CLAIM, COMPLETE, RELEASE
    }

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start("--enable-debug-command", "local");
        admin = AdminConnection.to(server.uri(""));
    }

    @AfterAll
    static void stopServer() {
        admin.close();
        server.close();
    }

    /**
     * Loads the scripts by running each once on another key, so the call whose reply is lost runs its script rather
     * than answering {@code NOSCRIPT}, and then resets the statistics.
     */
    @BeforeEach
    void warmScriptCacheAndResetStatistics() {
        try (RedisClaimStore warmUp = RedisClaimStore.connect(server.uri(""))) {
            ClaimKey completed = new ClaimKey("dedup", group, "warm-up-completed");
            ClaimKey released = new ClaimKey("dedup", group, "warm-up-released");
            assertThat(warmUp.claim(completed, token, "fp", LEASE).status()).isEqualTo(Status.ACQUIRED);
            assertThat(warmUp.complete(completed, token, RETENTION)).isTrue();
            assertThat(warmUp.claim(released, token, "fp", LEASE).status()).isEqualTo(Status.ACQUIRED);
            assertThat(warmUp.release(released, token, RETENTION)).isTrue();
        }
        admin.commands().configResetstat();
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void shouldGiveFirstCallsAnswerWhenServerStalledPastTimeoutAndCallWasRetried(Operation operation) {
        try (AdminConnection storeConnection = AdminConnection.to(server.uri("timeout=1s"))) {
            ClaimStore store = new RetryingClaimStore(new RedisClaimStore(storeConnection.connection()),
                    StoreRetrySettings.DEFAULTS);
            prepare(operation, store);
            long callsBefore = admin.calls("evalsha");

            storeConnection.sleepServerAsync(STALL);
            Object answer = call(operation, store);

            assertThat(admin.calls("evalsha") - callsBefore).as("the late call and its retry both ran")
                    .isGreaterThanOrEqualTo(2);
            assertThat(admin.calls("eval")).as("scripts sent by source: the cache was warm").isZero();
            assertAnsweredAndOwned(operation, answer, store);
        }
    }

    @ParameterizedTest
    @EnumSource(Operation.class)
    void shouldGiveFirstCallsAnswerWhenConnectionDroppedAfterCommandRan(Operation operation) throws Exception {
        try (RedisClaimStore redis = RedisClaimStore.connect(server.uri("timeout=2s"));
                AdminConnection killer = AdminConnection.to(server.uri(""))) {
            ClaimStore store = new RetryingClaimStore(redis, new StoreRetrySettings(5, Duration.ofMillis(100), 1.5));
            prepare(operation, store);
            long callsBefore = admin.calls("evalsha");

            admin.pause(WRITE_PAUSE, PauseMode.WRITE);
            CompletableFuture<Object> answer = CompletableFuture.supplyAsync(() -> call(operation, store));
            long storeClient = awaitBlockedScriptClient();
            admin.pause(WRITE_PAUSE, PauseMode.ALL);
            RedisFuture<Long> killed = killer.connection().async().clientKill(KillArgs.Builder.id(storeClient));

            assertThat(killed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("clients killed").isEqualTo(1);
            Object result = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(admin.calls("evalsha") - callsBefore).as("the dropped call and its retry both ran")
                    .isGreaterThanOrEqualTo(2);
            assertThat(admin.calls("eval")).as("scripts sent by source: the cache was warm").isZero();
            assertAnsweredAndOwned(operation, result, store);
        }
    }

    private void prepare(Operation operation, ClaimStore store) {
        if (operation != Operation.CLAIM) {
            assertThat(store.claim(key, token, "fp", LEASE).status()).isEqualTo(Status.ACQUIRED);
        }
    }

    private Object call(Operation operation, ClaimStore store) {
        return switch (operation) {
            case CLAIM -> store.claim(key, token, "fp", LEASE);
            case COMPLETE -> store.complete(key, token, RETENTION);
            case RELEASE -> store.release(key, token, RETENTION);
        };
    }

    private void assertAnsweredAndOwned(Operation operation, Object answer, ClaimStore store) {
        ClaimSnapshot snapshot = store.inspect(key);
        ClaimResult other = store.claim(key, OwnerToken.random(), null, LEASE);
        switch (operation) {
            case CLAIM -> {
                assertThat((ClaimResult) answer).extracting(ClaimResult::status, ClaimResult::owner,
                        ClaimResult::attempt).containsExactly(Status.ACQUIRED, token.value(), 1);
                assertThat(other.status()).isEqualTo(Status.IN_PROGRESS);
            }
            case COMPLETE -> {
                assertThat(answer).isEqualTo(true);
                assertThat(other.status()).isEqualTo(Status.COMPLETED);
            }
            case RELEASE -> {
                assertThat(answer).isEqualTo(true);
                assertThat(other).extracting(ClaimResult::status, ClaimResult::attempt)
                        .containsExactly(Status.ACQUIRED, 2);
            }
        }
        ClaimState expected = switch (operation) {
            case CLAIM -> ClaimState.IN_PROGRESS;
            case COMPLETE -> ClaimState.COMPLETED;
            case RELEASE -> ClaimState.RELEASED;
        };
        assertThat(snapshot).extracting(ClaimSnapshot::state, ClaimSnapshot::owner, ClaimSnapshot::attempts)
                .containsExactly(expected, token.value(), 1);
    }

    private static long awaitBlockedScriptClient() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> blockedScriptClient(admin.commands().clientList()), id -> id > 0);
    }

    private static long blockedScriptClient(String clients) {
        Matcher matcher = BLOCKED_SCRIPT_CLIENT.matcher(clients);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
