package io.github.listenerdedup.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoApplicationTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void shouldPrintHelpAndExitZeroWhenAskedForHelp() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(text(out)).startsWith("Usage: java -jar demo/target/listener-dedup-demo.jar [options]");
        assertThat(text(err)).isEmpty();
    }

    @Test
    void shouldExitTwoAndNameTheOptionWhenAnOptionIsBad() {
        int code = run("--consumers", "0");

        assertThat(code).isEqualTo(2);
        assertThat(text(err)).isEqualTo("Error: --consumers must be a whole number from 1 to 64, but was '0'"
                + System.lineSeparator() + "Run with --help to see the options." + System.lineSeparator());
        assertThat(text(out)).isEmpty();
    }

    @Test
    void shouldExitTwoAndNameTheLineWhenTheInputHasABadLine() throws IOException {
        Path file = Files.write(dir.resolve("bad.jsonl"),
                List.of("{\"eventId\": \"a\", \"payload\": \"x\"}", "{\"eventId\": \"b\"}"));

        int code = run("--input", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(text(err)).startsWith("Error: --input file '" + file + "', line 2: \"payload\" is missing");
        assertThat(text(out)).isEmpty();
    }

    private int run(String... args) {
        return DemoApplication.run(List.of(args), print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
