package io.github.listenerdedup.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.core.ClaimState;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimValueTest {

    @Test
    void shouldReadEachStateWhenValueHasFormatOne() {
        assertThat(ClaimValue.parse("1|I|tok|1|")).isEqualTo(new ClaimValue(ClaimState.IN_PROGRESS, "tok", 1, null,
                null));
        assertThat(ClaimValue.parse("1|R|tok|12||fp")).isEqualTo(new ClaimValue(ClaimState.RELEASED, "tok", 12, null,
                "fp"));
        assertThat(ClaimValue.parse("1|C|tok|2|1714558530123")).isEqualTo(new ClaimValue(ClaimState.COMPLETED,
                "tok", 2, Instant.ofEpochMilli(1_714_558_530_123L), null));
    }

    @Test
    void shouldKeepFingerprintWhenItHoldsSeparatorsOrIsEmpty() {
        assertThat(ClaimValue.parse("1|C|tok|1|1714558530123|a|b|").fingerprint()).isEqualTo("a|b|");
        assertThat(ClaimValue.parse("1|I|tok|1||").fingerprint()).isEmpty();
    }

    @Test
    void shouldWriteFingerprintFieldOnlyWhenThereIsOne() {
        assertThat(ClaimValue.fingerprintField(null)).isEmpty();
        assertThat(ClaimValue.fingerprintField("")).isEqualTo("|");
        assertThat(ClaimValue.fingerprintField("a|b")).isEqualTo("|a|b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2|I|tok|1|", "1|X|tok|1|", "1|I||1|", "1|I|tok|one|", "1|I|tok|1", "OK",
        "1|C|tok|1|yesterday"})
    void shouldRefuseValueWhenItIsNotAClaimOfFormatOne(String text) {
        assertThatThrownBy(() -> ClaimValue.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a claim of format 1");
    }
}
