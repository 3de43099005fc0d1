package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesEventReaderTest {

    private final JsonLinesEventReader reader = new JsonLinesEventReader();

    @TempDir
    Path dir;

    @Test
    void shouldReadDeliveriesInFileOrderWhenEveryLineIsGood() throws Exception {
        Path file = write("{\"eventId\": \"a\", \"payload\": \"first\"}",
                "",
                "{\"eventId\": \"b\", \"payload\": {\"amount\": 7}, \"failFirst\": true}",
                "{\"eventId\": \"a\", \"payload\": \"first\", \"failFirst\": false}",
                "   ",
                "{\"payload\": \"x\", \"eventId\": \"c\"}");

        EventPlan plan = reader.read(file);

        assertThat(plan.deliveries()).containsExactly(new PlannedDelivery("a", "first"),
                new PlannedDelivery("b", "{\"amount\":7}"), new PlannedDelivery("a", "first"),
                new PlannedDelivery("c", "x"));
        assertThat(plan.eventIds()).containsExactly("a", "b", "c");
        assertThat(plan.failFirstIds()).containsExactly("b");
        assertThat(plan.source()).isEqualTo("read from " + file);
    }

    @Test
    void shouldMarkAnEventFailFirstWhenAnyOfItsLinesSaysSo() throws Exception {
        Path file = write("{\"eventId\": \"a\", \"payload\": \"1\"}",
                "{\"eventId\": \"a\", \"payload\": \"1\", \"failFirst\": true}");

        assertThat(reader.read(file).failFirstIds()).containsExactly("a");
    }

    @Test
    void shouldReadTheShippedSampleWhenItHasDuplicatesAndFailures() throws Exception {
        EventPlan plan = reader.read(Path.of("events-sample.jsonl"));

        assertThat(plan.deliveries()).hasSize(20);
        assertThat(plan.eventIds()).hasSize(11);
        assertThat(plan.eventsByCopies()).isEqualTo(Map.of(1, 3, 2, 7, 3, 1));
        assertThat(plan.failFirstIds()).containsExactly("order-1003", "ship-2002");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"eventId\": \"a\", \"payload\": \"x\"|not valid JSON at column 32: Unexpected end-of-input: expected "
                + "close marker for Object",
        "{eventId: \"a\"}|not valid JSON at column 2: Unexpected character ('e' (code 101)): was expecting "
                + "double-quote to start property name",
        "[1, 2]|expected a JSON object such as {\"eventId\": \"order-1\", \"payload\": \"...\"}, but found array",
        "\"a\"|expected a JSON object such as {\"eventId\": \"order-1\", \"payload\": \"...\"}, but found string",
        "{\"payload\": \"x\"}|\"eventId\" is missing",
        "{\"eventId\": null, \"payload\": \"x\"}|\"eventId\" must not be null",
        "{\"eventId\": 12, \"payload\": \"x\"}|\"eventId\" must be a string, but was 12",
        "{\"eventId\": \"  \", \"payload\": \"x\"}|\"eventId\" must not be blank",
        "{\"eventId\": \"a\"}|\"payload\" is missing",
        "{\"eventId\": \"a\", \"payload\": null}|\"payload\" must not be null",
        "{\"eventId\": \"a\", \"payload\": \"x\", \"failFirst\": \"yes\"}|\"failFirst\" must be true or false, but "
                + "was \"yes\"",
        "{\"eventid\": \"a\", \"payload\": \"x\"}|unknown field \"eventid\" (the fields are eventId, payload and "
                + "failFirst)",
    })
    void shouldNameTheLineAndTheFaultWhenALineIsBad(String badLine, String fault) throws IOException {
        Path file = write("{\"eventId\": \"ok\", \"payload\": \"fine\"}", "", badLine);

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "', line 3: " + fault);
    }

    @Test
    void shouldRefuseAnIdLongerThanTheLibraryAccepts() throws IOException {
        Path file = write("{\"eventId\": \"" + "x".repeat(257) + "\", \"payload\": \"p\"}");

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "', line 1: \"eventId\" must be at most 256 characters, but "
                        + "has 257");
    }

    @Test
    void shouldRefuseTwoObjectsOnOneLine() throws IOException {
        Path file = write("{\"eventId\": \"a\", \"payload\": \"x\"} {\"eventId\": \"b\", \"payload\": \"y\"}");

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "', line 1: not valid JSON at column 34: more than one JSON "
                        + "value on the line");
    }

    @Test
    void shouldRefuseAFieldGivenTwiceOnOneLine() throws IOException {
        Path file = write("{\"eventId\": \"a\", \"eventId\": \"b\", \"payload\": \"x\"}");

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "', line 1: not valid JSON at column 27: Duplicate "
                        + "Object property \"eventId\"");
    }

    @Test
    void shouldRefuseAFileWithoutEvents() throws IOException {
        Path file = write("", "  ");

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "' holds no events");
    }

    @Test
    void shouldRefuseAFileThatIsNotUtf8() throws IOException {
        Path file = Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', (byte) 0xE9, '}'});

        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(UsageException.class)
                .hasMessage("--input file '" + file + "' is not UTF-8 text");
    }

    private Path write(String... lines) throws IOException {
        return Files.write(dir.resolve("events.jsonl"), List.of(lines));
    }
}
