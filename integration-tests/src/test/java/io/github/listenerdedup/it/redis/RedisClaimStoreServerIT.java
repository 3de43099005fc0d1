package io.github.listenerdedup.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.ClaimResult.Status;
import io.github.listenerdedup.core.ClaimState;
import io.github.listenerdedup.core.OwnerToken;
import io.github.listenerdedup.store.redis.RedisClaimStore;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-wide commands on a Redis process of the test's own: a flushed script cache, the memory a completed claim
 * takes, an ACL user limited to the commands the store documents, a password-protected server, and the start-up
 * check of the eviction policy.
 */
class RedisClaimStoreServerIT {

    /** The commands the package documentation lists for an ACL user of the store. */
    private static final List<CommandType> STORE_COMMANDS = List.of(CommandType.EVALSHA, CommandType.EVAL,
            CommandType.GET, CommandType.SET, CommandType.PEXPIRE, CommandType.PTTL, CommandType.DEL, CommandType.TIME);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final long COMPLETED_CLAIM_MAX_BYTES = 200;
    private static final String STORE_LOGGER = "io.github.listenerdedup.store.redis";

    private static RedisServerProcess server;
    private static AdminConnection admin;

    private final String group = "server-" + UUID.randomUUID();

    @BeforeAll
    static void startServer() {
        server = RedisServerProcess.start();
        admin = AdminConnection.to(server.uri(""));
    }

    @AfterAll
    static void stopServer() {
        admin.close();
        server.close();
    }

    @Test
    void shouldSendScriptSourceOnceWhenServerLostItsScripts() {
        OwnerToken first = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(server.uri("timeout=2s"))) {
            store.claim(key("E1"), first, null, LEASE);

            admin.commands().scriptFlush();
            admin.commands().configResetstat();
            assertThat(store.claim(key("E1"), OwnerToken.random(), null, LEASE).owner()).isEqualTo(first.value());
            assertThat(store.claim(key("E2"), first, null, LEASE).status()).isEqualTo(Status.ACQUIRED);

            assertThat(admin.calls("eval")).isEqualTo(1);
            assertThat(admin.calls("evalsha")).isEqualTo(2);
            assertThat(admin.commands().info("memory")).contains("number_of_cached_scripts:1");
        }
    }

    @Test
    void shouldKeepCompletedClaimSmallWhenMeasuredByMemoryUsage() {
        ClaimKey key = new ClaimKey("dedup", "billing", UUID.randomUUID().toString());
        OwnerToken token = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(server.uri("timeout=2s"))) {
            store.claim(key, token, null, LEASE);
            store.complete(key, token, RETENTION);

            String value = admin.commands().get(key.render());
            Long bytes = admin.commands().memoryUsage(key.render());

            assertThat(value).matches("1\\|C\\|[A-Za-z0-9_-]{22}\\|1\\|\\d{13}").hasSizeLessThan(48);
            assertThat(bytes).isLessThan(COMPLETED_CLAIM_MAX_BYTES);
            store.forget(key);
        }
    }

    @Test
    void shouldRunEveryOperationWhenUserMayRunOnlyTheDocumentedCommands() {
        createUser("dedup-store", STORE_COMMANDS);
        ClaimKey key = key("E1");
        OwnerToken token = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(userUri("dedup-store"))) {
            admin.commands().scriptFlush();

            assertThat(store.claim(key, token, null, LEASE).status()).isEqualTo(Status.ACQUIRED);
            assertThat(store.renew(key, token, LEASE)).isTrue();
            assertThat(store.release(key, token, RETENTION)).isTrue();
            assertThat(store.claim(key, token, "fp", LEASE).attempt()).isEqualTo(2);
            assertThat(store.complete(key, token, RETENTION)).isTrue();
            assertThat(store.inspect(key).state()).isEqualTo(ClaimState.COMPLETED);
            assertThat(store.discard(key, token)).isFalse();
            assertThat(store.forget(key)).isTrue();
        }
    }

    @Test
    void shouldRunEveryOperationWhenUserIsMadeByTheDocumentedAclLine() {
        String documented = "on >secret ~dedup:* resetchannels -@all +evalsha +eval +get +set +pexpire +pttl +del "
                + "+time";
        admin.aclSetUser("dedup-documented", documented.split(" "));
        ClaimKey key = key("E1");
        OwnerToken token = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(userUri("dedup-documented"))) {
            admin.commands().scriptFlush();

            assertThat(store.claim(key, token, "fp", LEASE).status()).isEqualTo(Status.ACQUIRED);
            assertThat(store.renew(key, token, LEASE)).isTrue();
            assertThat(store.complete(key, token, RETENTION)).isTrue();
            assertThat(store.claim(key, OwnerToken.random(), null, LEASE).fingerprint()).isEqualTo("fp");
            assertThat(store.forget(key)).isTrue();
        }
    }

    @Test
    void shouldThrowIllegalStateWhenUserMayNotRunACommandTheScriptsNeed() {
        createUser("dedup-no-time", STORE_COMMANDS.stream().filter(command -> command != CommandType.TIME).toList());
        ClaimKey key = key("E1");
        OwnerToken token = OwnerToken.random();
        try (RedisClaimStore store = RedisClaimStore.connect(userUri("dedup-no-time"))) {
            store.claim(key, token, null, LEASE);

            assertThatThrownBy(() -> store.complete(key, token, RETENTION)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis refused to complete " + key.render() + ": ")
                    .hasMessageContaining("can't run this command");
            assertThat(store.inspect(key).state()).isEqualTo(ClaimState.IN_PROGRESS);
        }
    }

    @Test
    void shouldRunEveryOperationWhenUserMayNotRunTheStartUpChecksEither() {
        createUser("dedup-bare", STORE_COMMANDS);
        admin.commands().configSet("maxmemory-policy", "allkeys-lru");
        try {
            String logs = CapturedLogs.during(STORE_LOGGER, () -> {
                try (RedisClaimStore store = RedisClaimStore.connect(userUri("dedup-bare"))) {
                    assertThat(store.claim(key("E1"), OwnerToken.random(), null, LEASE).status())
                            .isEqualTo(Status.ACQUIRED);
                }
            });

            assertThat(logs.lines()).as("lines at INFO and above").allMatch(line -> line.startsWith("DEBUG"));
            assertThat(logs).contains("Not checking the maxmemory-policy of Redis at redis://dedup-bare:******@");
        } finally {
            admin.commands().configSet("maxmemory-policy", "noeviction");
        }
    }

    @Test
    void shouldRefuseClaimWhenUserMayNotTouchTheKeyPrefix() {
        createUser("dedup-other-prefix", STORE_COMMANDS);
        ClaimKey key = new ClaimKey("claims", group, "E1");
        try (RedisClaimStore store = RedisClaimStore.connect(userUri("dedup-other-prefix"))) {
            assertThatThrownBy(() -> store.claim(key, OwnerToken.random(), null, LEASE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis refused to claim " + key.render() + ": ")
                    .hasMessageContaining("NOPERM this user has no permissions to access one of the keys");
        }
    }

    @Test
    void shouldWarnAtStartUpWhenServerMayEvictClaims() {
        createUser("dedup-config", STORE_COMMANDS);
        admin.aclSetUser("dedup-config", "+config|get");
        admin.commands().configSet("maxmemory-policy", "volatile-ttl");
        try {
            String logs = CapturedLogs.during(STORE_LOGGER, () -> RedisClaimStore.connect(userUri("dedup-config"))
                    .close());

            assertThat(logs.lines().filter(line -> !line.startsWith("DEBUG"))).containsExactly("WARN "
                    + STORE_LOGGER + ".ServerChecks - Redis at redis://dedup-config:******@127.0.0.1:" + server.port()
                    + "?timeout=2s has maxmemory-policy volatile-ttl: when it reaches maxmemory it evicts keys, "
                    + "claims among them (each has an expiry), and an evicted claim lets a duplicate run; set "
                    + "maxmemory-policy noeviction");
        } finally {
            admin.commands().configSet("maxmemory-policy", "noeviction");
        }
    }

    @Test
    void shouldStartSilentlyWhenServerNeverEvicts() {
        String logs = CapturedLogs.during(STORE_LOGGER, () -> RedisClaimStore.connect(server.uri("timeout=2s"))
                .close());

        assertThat(logs.lines()).allMatch(line -> line.startsWith("DEBUG"));
    }

    @Test
    void shouldClaimWithPasswordAndRefuseWithoutWhenServerRequiresOne() {
        try (RedisServerProcess protectedServer = RedisServerProcess.start("--requirepass", "s3cret")) {
            String address = "127.0.0.1:" + protectedServer.port();

            try (RedisClaimStore store = RedisClaimStore.connect("redis://:s3cret@" + address + "?timeout=2s")) {
                assertThat(store.claim(key("E1"), OwnerToken.random(), null, LEASE).status())
                        .isEqualTo(Status.ACQUIRED);
            }
            assertThatThrownBy(() -> RedisClaimStore.connect("redis://:wrong@" + address + "?timeout=2s"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis at redis://").hasMessageNotContaining("wrong@")
                    .hasMessageContaining("@" + address + "?timeout=2s refused the connection: WRONGPASS");
            assertThatThrownBy(() -> RedisClaimStore.connect("redis://" + address + "?timeout=2s"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Redis at redis://" + address + "?timeout=2s refused the connection: "
                            + "NOAUTH");
        }
    }

    private void createUser(String name, List<CommandType> commands) {
        AclSetuserArgs args = AclSetuserArgs.Builder.reset().on().addPassword("secret").keyPattern("dedup:*");
        commands.forEach(args::addCommand);
        admin.commands().aclSetuser(name, args);
    }

    private String userUri(String user) {
        return "redis://" + user + ":secret@127.0.0.1:" + server.port() + "?timeout=2s";
    }

    private ClaimKey key(String eventId) {
        return new ClaimKey("dedup", group, eventId);
    }
}
