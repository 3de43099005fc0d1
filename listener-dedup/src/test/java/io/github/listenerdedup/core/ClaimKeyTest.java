package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClaimKeyTest {

    @Test
    void shouldNeverMeetAnotherGroupWhenIdContainsSeparator() {
        assertThatThrownBy(() -> new ClaimKey("dedup", "billing:eu", "E1"))
                .hasMessage("group must not contain ':', but was 'billing:eu'");
        assertThat(new ClaimKey("dedup", "billing", "eu:E1").render()).isEqualTo("dedup:billing:eu:E1");
    }

    @Test
    void shouldKeepIdExactlyAsGiven() {
        assertThat(new ClaimKey("dedup", "g", "Order-1").render())
                .isNotEqualTo(new ClaimKey("dedup", "g", "order-1").render());
        assertThat(new ClaimKey("dedup", "g", "{slot}ü").render()).isEqualTo("dedup:g:{slot}ü");
    }

    @Test
    void shouldEscapeControlCharactersWhenPrinted() {
        assertThat(new ClaimKey("dedup", "g", "E1\r\nFAKE LOG LINE").toString())
                .isEqualTo("dedup:g:E1\\r\\nFAKE LOG LINE");
        assertThat(LogText.escape("a\u0000b\tc")).isEqualTo("a\\u0000b\\tc");
        assertThat(LogText.escape(null)).isEqualTo("null");
    }

    @Test
    void shouldRefuseEmptyEventId() {
        assertThatThrownBy(() -> new ClaimKey("dedup", "g", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventId must not be empty");
    }

    @Test
    void shouldMakeDistinctTokensFreeOfSeparator() {
        OwnerToken first = OwnerToken.random();
        OwnerToken second = OwnerToken.random();

        assertThat(first).isNotEqualTo(second);
        assertThat(first.value()).hasSize(22).doesNotContain("|").doesNotContain(":");
        assertThatThrownBy(() -> new OwnerToken("a|b"))
                .hasMessage("token must be non-empty and free of '|', but was 'a|b'");
    }
}
