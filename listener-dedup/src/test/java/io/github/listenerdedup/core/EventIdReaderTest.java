package io.github.listenerdedup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdReaderTest {

    private final EventIdReader reader = new EventIdReader(10);

    @Test
    void shouldReadTextAsIs() {
        assertThat(reader.read("E12").id()).isEqualTo("E12");
        assertThat(reader.read(new StringBuilder("E12")).id()).isEqualTo("E12");
        assertThat(reader.read(" E12 ").id()).as("never trimmed or changed").isEqualTo(" E12 ");
    }

    @Test
    void shouldDecodeBytesAsUtf8() {
        assertThat(reader.read("Ε12-ü".getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("Ε12-ü");
    }

    @Test
    void shouldCallMalformedUtf8UnreadableWhenBytesAreNotUtf8() {
        EventIdReading reading = reader.read(new byte[] {'E', (byte) 0xC3, '1'});

        assertThat(reading.status()).isEqualTo(EventIdReading.Status.UNREADABLE);
        assertThat(reading.reason()).isEqualTo("3 bytes that are not valid UTF-8");
    }

    @Test
    void shouldCallTextWithUnpairedSurrogateUnreadable() {
        EventIdReading reading = reader.read("E\uD800x");

        assertThat(reading.status()).isEqualTo(EventIdReading.Status.UNREADABLE);
        assertThat(reading.reason()).isEqualTo("text with an unpaired UTF-16 surrogate, which has no UTF-8 form");
        assertThat(reader.read("E\uDC00").status()).isEqualTo(EventIdReading.Status.UNREADABLE);
        assertThat(reader.read("E\uD83D\uDE00").isPresent()).isTrue();
    }

    @Test
    void shouldReadIntegralNumbersAsDecimalText() {
        assertThat(reader.read(12345L).id()).isEqualTo("12345");
        assertThat(reader.read(12345).id()).isEqualTo("12345");
        assertThat(reader.read((short) -7).id()).isEqualTo("-7");
        assertThat(reader.read((byte) 7).id()).isEqualTo("7");
        assertThat(reader.read(new BigInteger("1234567890")).id()).isEqualTo("1234567890");
    }

    @Test
    void shouldReadUuidAsCanonicalText() {
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

        assertThat(new EventIdReader(256).read(uuid).id()).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    }

    @Test
    void shouldCallOtherTypesUnreadableWhenTheyHaveNoTextForm() {
        EventIdReading reading = reader.read(1.5d);

        assertThat(reading.status()).isEqualTo(EventIdReading.Status.UNREADABLE);
        assertThat(reading.reason()).isEqualTo("a value of type java.lang.Double, which has no text form");
        assertThat(reader.read(new Object()).status()).isEqualTo(EventIdReading.Status.UNREADABLE);
        assertThat(reader.read(Boolean.TRUE).status()).isEqualTo(EventIdReading.Status.UNREADABLE);
    }

    @Test
    void shouldTellMissingFromBlank() {
        assertThat(reader.read(null).status()).isEqualTo(EventIdReading.Status.MISSING);
        assertThat(reader.read("").status()).isEqualTo(EventIdReading.Status.BLANK);
        assertThat(reader.read(" \t ").status()).isEqualTo(EventIdReading.Status.BLANK);
        assertThat(reader.read(new byte[0]).status()).isEqualTo(EventIdReading.Status.BLANK);
    }

    @Test
    void shouldCountCharactersNotCharsWhenCheckingLength() {
        String tenEmoji = "😀".repeat(10);

        assertThat(reader.read(tenEmoji).isPresent()).isTrue();
        EventIdReading tooLong = reader.read("x".repeat(11));
        assertThat(tooLong.status()).isEqualTo(EventIdReading.Status.TOO_LONG);
        assertThat(tooLong.reason()).isEqualTo("value of 11 characters, more than the maximum of 10");
    }

    @Test
    void shouldRefuseMaximumBelowOne() {
        assertThatThrownBy(() -> new EventIdReader(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxIdLength must be at least 1, but was 0");
    }
}
