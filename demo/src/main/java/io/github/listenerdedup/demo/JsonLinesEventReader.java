package io.github.listenerdedup.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the events to publish from a JSON-lines file: one object a line, in publishing order, with a text
 * {@code eventId}, a {@code payload} (text is sent as is, any other JSON value as its JSON text) and an optional
 * boolean {@code failFirst}. A repeated id is a duplicate delivery of that event; {@code failFirst} on any line of
 * an id makes the handler fail on that event's first try. Blank lines are skipped.
 *
 * <pre>{@code
 * {"eventId": "order-1", "payload": "charge 12.00 EUR"}
 * {"eventId": "order-1", "payload": "charge 12.00 EUR"}
 * {"eventId": "order-2", "payload": {"amount": 7}, "failFirst": true}
 * }</pre>
 */
public final class JsonLinesEventReader {

    /** The longest event id accepted, the library's default {@code max-id-length}. */
    static final int MAX_ID_LENGTH = 256;

    private static final String EVENT_ID = "eventId";
    private static final String PAYLOAD = "payload";
    private static final String FAIL_FIRST = "failFirst";
    private static final Set<String> FIELDS = Set.of(EVENT_ID, PAYLOAD, FAIL_FIRST);

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * Reads a file.
     *
     * @param file the file
     * @return the plan, in the file's order
     * @throws UsageException when the file cannot be read, holds no event or has a bad line; the message names
     *                        the file, the line number and what was wrong
     */
    public EventPlan read(Path file) throws UsageException {
        List<PlannedDelivery> deliveries = new ArrayList<>();
        Set<String> failFirst = new LinkedHashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (lineNumber > DemoOptions.MAX_EVENTS) {
                    throw new UsageException(where(file) + " has more than " + DemoOptions.MAX_EVENTS + " lines");
                }
                if (!line.isBlank()) {
                    readLine(file, lineNumber, line, deliveries, failFirst);
                }
            }
        } catch (CharacterCodingException e) {
            throw new UsageException(where(file) + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException(where(file) + " cannot be read: " + e);
        }
        if (deliveries.isEmpty()) {
            throw new UsageException(where(file) + " holds no events");
        }
        return new EventPlan("read from " + file, deliveries, failFirst);
    }

    private void readLine(Path file, int lineNumber, String line, List<PlannedDelivery> deliveries,
            Set<String> failFirst) throws UsageException {
        try {
            JsonNode node = parse(line);
            String eventId = eventId(node);
            deliveries.add(new PlannedDelivery(eventId, payload(node)));
            if (failFirst(node)) {
                failFirst.add(eventId);
            }
        } catch (BadLineException e) {
            throw new UsageException(where(file) + ", line " + lineNumber + ": " + e.getMessage());
        }
    }

    private JsonNode parse(String line) throws BadLineException {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JacksonException e) {
            throw new BadLineException(jsonProblem(e));
        }
        if (!node.isObject()) {
            throw new BadLineException("expected a JSON object such as {\"eventId\": \"order-1\", \"payload\": "
                    + "\"...\"}, but found " + node.getNodeType().toString().toLowerCase());
        }
        for (String name : node.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new BadLineException("unknown field \"" + name + "\" (the fields are eventId, payload and "
                        + "failFirst)");
            }
        }
        return node;
    }

    private static String jsonProblem(JacksonException e) {
        String problem = e.getOriginalMessage();
        if (problem.startsWith("Trailing token")) {
            problem = "more than one JSON value on the line";
        }
        int marker = problem.indexOf(" (start marker at");
        if (marker >= 0) {
            problem = problem.substring(0, marker);
        }
        TokenStreamLocation location = e.getLocation();
        boolean located = location != null && location.getColumnNr() > 0;
        return "not valid JSON" + (located ? " at column " + location.getColumnNr() : "") + ": " + problem;
    }

    private static String eventId(JsonNode node) throws BadLineException {
        JsonNode value = require(node, EVENT_ID);
        if (!value.isString()) {
            throw new BadLineException("\"eventId\" must be a string, but was " + value);
        }
        String eventId = value.stringValue();
        if (eventId.isBlank()) {
            throw new BadLineException("\"eventId\" must not be blank");
        }
        if (eventId.length() > MAX_ID_LENGTH) {
            throw new BadLineException("\"eventId\" must be at most " + MAX_ID_LENGTH + " characters, but has "
                    + eventId.length());
        }
        return eventId;
    }

    private static String payload(JsonNode node) throws BadLineException {
        JsonNode value = require(node, PAYLOAD);
        return value.isString() ? value.stringValue() : value.toString();
    }

    private static boolean failFirst(JsonNode node) throws BadLineException {
        JsonNode value = node.get(FAIL_FIRST);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new BadLineException("\"failFirst\" must be true or false, but was " + value);
        }
        return value.booleanValue();
    }

    private static JsonNode require(JsonNode node, String field) throws BadLineException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw new BadLineException("\"" + field + "\" is missing");
        }
        if (value.isNull()) {
            throw new BadLineException("\"" + field + "\" must not be null");
        }
        return value;
    }

    private static String where(Path file) {
        return "--input file '" + file + "'";
    }

    /** What is wrong with one line, before the line number is added. */
    private static final class BadLineException extends Exception {

        BadLineException(String message) {
            super(message);
        }
    }
}
