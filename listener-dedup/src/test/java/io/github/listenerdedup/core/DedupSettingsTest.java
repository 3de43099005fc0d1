package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DedupSettingsTest {

    @Test
    void shouldApplyDefaultsWhenOnlyGroupIsGiven() {
        DedupSettings settings = DedupSettings.builder().group("billing").build();

        assertThat(settings.group()).isEqualTo("billing");
        assertThat(settings.keyPrefix()).isEqualTo("dedup");
        assertThat(settings.headerName()).isEqualTo("eventId");
        assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.inFlightWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxIdLength()).isEqualTo(256);
        assertThat(settings.missingId()).isEqualTo(MissingIdPolicy.REJECT);
        assertThat(settings.storeFailure()).isEqualTo(StoreFailurePolicy.FAIL_CLOSED);
        assertThat(settings.leaseRenewal()).isTrue();
        assertThat(settings.fingerprint()).isEqualTo(FingerprintMode.NONE);
        assertThat(settings.maxAttempts()).isZero();
        assertThat(settings.storeRetry()).isEqualTo(new StoreRetrySettings(3, Duration.ofMillis(50), 2.0));
    }

    @Test
    void shouldRefuseBadRetryAndAttemptSettingsNamingTheField() {
        assertThatThrownBy(() -> DedupSettings.builder().maxAttempts(-1))
                .hasMessage("maxAttempts must be between 0 (off) and 1000, but was -1");
        assertThatThrownBy(() -> new StoreRetrySettings(0, Duration.ofMillis(50), 2.0))
                .hasMessage("storeRetry.maxAttempts must be between 1 and 100, but was 0");
        assertThatThrownBy(() -> new StoreRetrySettings(3, Duration.ZERO, 2.0))
                .hasMessage("storeRetry.initialBackoff must be at least PT0.001S, but was PT0S");
        assertThatThrownBy(() -> new StoreRetrySettings(3, Duration.ofMillis(50), 0.5))
                .hasMessage("storeRetry.multiplier must be between 1.0 and 10.0, but was 0.5");
    }

    @Test
    void shouldRenderKeyFromPrefixGroupAndId() {
        DedupSettings settings = DedupSettings.builder().group("billing").keyPrefix("app").build();

        assertThat(settings.keyFor("E1").render()).isEqualTo("app:billing:E1");
        assertThat(settings.keyFor("a:b").render()).isEqualTo("app:billing:a:b");
    }

    @Test
    void shouldRequireGroupWhenBuilding() {
        assertThatThrownBy(() -> DedupSettings.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("group is required: name the consuming listener, for example 'billing'");
    }

    @Test
    void shouldRefuseSeparatorInGroupAndPrefix() {
        assertThatThrownBy(() -> DedupSettings.builder().group("billing:eu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group must not contain ':', but was 'billing:eu'");
        assertThatThrownBy(() -> DedupSettings.builder().keyPrefix("a:b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPrefix must not contain ':', but was 'a:b'");
        assertThatThrownBy(() -> DedupSettings.builder().group(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group must not be blank, but was ' '");
    }

    @Test
    void shouldRefuseBadValuesNamingTheField() {
        DedupSettings.Builder builder = DedupSettings.builder();

        assertThatThrownBy(() -> builder.lease(Duration.ofMillis(500)))
                .hasMessage("lease must be at least PT1S, but was PT0.5S");
        assertThatThrownBy(() -> builder.retention(null))
                .hasMessage("retention must be at least PT1S, but was null");
        assertThatThrownBy(() -> builder.inFlightWait(Duration.ofSeconds(-1)))
                .hasMessage("inFlightWait must be at least PT0S, but was PT-1S");
        assertThatThrownBy(() -> builder.maxIdLength(0))
                .hasMessage("maxIdLength must be between 1 and 65536, but was 0");
        assertThatThrownBy(() -> builder.headerName(""))
                .hasMessage("headerName must not be blank, but was ''");
        assertThatThrownBy(() -> builder.missingId(null))
                .hasMessage("missingId must not be null");
    }

    @Test
    void shouldRefuseRetentionShorterThanLease() {
        DedupSettings.Builder builder = DedupSettings.builder()
                .group("billing")
                .lease(Duration.ofMinutes(10))
                .retention(Duration.ofMinutes(5));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retention must be at least the lease (PT10M), but was PT5M");
    }

    @Test
    void shouldKeepEverySettingWhenCopiedToBuilder() {
        DedupSettings settings = DedupSettings.builder()
                .group("g").keyPrefix("p").headerName("h").lease(Duration.ofSeconds(3))
                .retention(Duration.ofSeconds(9)).inFlightWait(Duration.ZERO).maxIdLength(5)
                .missingId(MissingIdPolicy.PROCESS).storeFailure(StoreFailurePolicy.FAIL_OPEN)
                .leaseRenewal(false).fingerprint(FingerprintMode.SHA_256).maxAttempts(4)
                .storeRetry(StoreRetrySettings.NONE)
                .build();

        assertThat(settings.toBuilder().build()).usingRecursiveComparison().isEqualTo(settings);
    }
}
