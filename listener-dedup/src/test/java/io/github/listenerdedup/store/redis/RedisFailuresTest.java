package io.github.listenerdedup.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.core.ClaimKey;
import io.github.listenerdedup.core.StoreUnavailableException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisFailuresTest {

    private static final ClaimKey KEY = new ClaimKey("dedup", "billing", "E1");

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void shouldAnswerUnavailableWhenConnectionOrServerStateFails() {
        assertThat(translate(new RedisConnectionException("Unable to connect to 127.0.0.1:1")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(translate(new RedisException("Connection closed"))).isInstanceOf(StoreUnavailableException.class);
        assertThat(translate(new RedisLoadingException("LOADING Redis is loading the dataset in memory")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(translate(new RedisReadOnlyException("READONLY You can't write against a read only replica.")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(translate(new RedisBusyException("BUSY Redis is busy running a script.")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MASTERDOWN Link with MASTER is down", "CLUSTERDOWN The cluster is down",
        "TRYAGAIN Multiple keys request during rehashing", "OOM command not allowed when used memory > 'maxmemory'."})
    void shouldAnswerUnavailableWhenServerCannotServeNow(String reply) {
        assertThat(translate(new RedisCommandExecutionException(reply))).isInstanceOf(StoreUnavailableException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ERR user_script:6: listener-dedup: the key holds a value that is not a claim",
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "NOPERM User dedup has no permissions to run the 'time' command", "OOMPH not an out-of-memory reply",
        "MOVEDX not a redirect"})
    void shouldThrowIllegalStateWhenWaitingWillNotHelp(String reply) {
        RedisCommandExecutionException failure = new RedisCommandExecutionException(reply);

        assertThat(translate(failure)).isInstanceOf(IllegalStateException.class).hasCause(failure)
                .hasMessage("Redis refused to claim dedup:billing:E1: " + reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381"})
    void shouldNameClusterClientWhenStandaloneClientIsRedirected(String reply) {
        RedisCommandExecutionException failure = new RedisCommandExecutionException(reply);

        assertThat(translate(failure)).isInstanceOf(IllegalStateException.class).hasCause(failure)
                .hasMessage("Redis answered " + reply + " to claim dedup:billing:E1: a standalone client is pointed "
                        + "at Redis Cluster; connect with RedisClaimStore.connectCluster(...)");
    }

    @Test
    void shouldKeepInterruptFlagWhenCallWasInterrupted() {
        RuntimeException translated = translate(new RedisCommandInterruptedException(new InterruptedException()));

        assertThat(translated).isInstanceOf(StoreUnavailableException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void shouldPassOwnFailuresThroughWhenTheyAreNotRedisErrors() {
        IllegalArgumentException own = new IllegalArgumentException("bad");

        assertThat(translate(own)).isSameAs(own);
    }

    @Test
    void shouldThrowIllegalStateWhenConnectingIsRefusedForCredentials() {
        RedisConnectionException failure = new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair"));

        assertRefusedAtConnect("redis://127.0.0.1", failure, "Redis at redis://127.0.0.1 refused the connection: "
                + "WRONGPASS invalid username-password pair");
    }

    @Test
    void shouldThrowIllegalStateWhenTlsHandshakeFails() {
        RedisConnectionException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:6380",
                new IllegalStateException("wrapped", new SSLHandshakeException("PKIX path building failed")));

        assertRefusedAtConnect("rediss://127.0.0.1:6380", failure, "The TLS handshake with Redis at "
                + "rediss://127.0.0.1:6380 failed: PKIX path building failed; check that the server's certificate "
                + "is trusted and names the host");
    }

    @Test
    void shouldThrowIllegalStateWhenASeedNodeRefusedAndTheClusterClientKeptItAsSuppressed() {
        RedisException topology = new RedisException("Cannot retrieve cluster partitions");
        topology.addSuppressed(new RedisConnectionException("Connection refused: /127.0.0.1:7001"));
        topology.addSuppressed(new RedisCommandExecutionException("ERR This instance has cluster support disabled"));
        RedisConnectionException failure = new RedisConnectionException("Unable to establish a connection to Redis "
                + "Cluster", topology);

        assertRefusedAtConnect("[redis://127.0.0.1:7000]", failure, "Redis at [redis://127.0.0.1:7000] refused "
                + "the connection: ERR This instance has cluster support disabled");
    }

    @Test
    void shouldThrowStoreUnavailableWhenNothingAnswersAtConnect() {
        RedisConnectionException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:1");

        assertThat(RedisFailures.translateConnect("redis://127.0.0.1:1", failure))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("Could not connect to Redis at redis://127.0.0.1:1: Unable to connect to 127.0.0.1:1");
    }

    private static void assertRefusedAtConnect(String target, RuntimeException failure, String message) {
        assertThat(RedisFailures.translateConnect(target, failure)).isInstanceOf(IllegalStateException.class)
                .hasCause(failure).hasMessage(message);
    }

    private static RuntimeException translate(RuntimeException failure) {
        return RedisFailures.translate(ClaimScript.CLAIM, KEY, failure);
    }
}
