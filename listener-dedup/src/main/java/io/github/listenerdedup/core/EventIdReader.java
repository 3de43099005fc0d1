package io.github.listenerdedup.core;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Turns a header value into an event id, by one rule for every broker:
 * <ul>
 *   <li>a {@link CharSequence} is taken as is;</li>
 *   <li>{@code byte[]} is decoded as strict UTF-8: malformed bytes make the id unreadable, never a replacement
 *       character that would merge two ids;</li>
 *   <li>{@code Long}, {@code Integer}, {@code Short}, {@code Byte} and {@link BigInteger} become their decimal
 *       text, so {@code 12345} and {@code "12345"} are one id;</li>
 *   <li>a {@link UUID} becomes its canonical text;</li>
 *   <li>anything else is unreadable: no id is ever built from an object's {@code toString()}.</li>
 * </ul>
 * Text with an unpaired UTF-16 surrogate is unreadable too: it has no UTF-8 form, and a store would merge it
 * with another id. An empty or whitespace-only id is blank; one of more than the maximum number of characters
 * (code points) is too long. Broker adapters turn their own text types (AMQP long strings) into {@code byte[]} first.
 */
public final class EventIdReader {

    private final int maxLength;

    /**
     * Creates a reader.
     *
     * @param maxLength the most characters an id may have
     */
    public EventIdReader(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxIdLength must be at least 1, but was " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Reads a value.
     *
     * @param value the header value, or {@code null} when there is none
     * @return the id, or why there is none
     */
    public EventIdReading read(Object value) {
        if (value == null) {
            return EventIdReading.unusable(EventIdReading.Status.MISSING, "no value");
        }
        String text = toText(value);
        if (text == null) {
            return EventIdReading.unusable(EventIdReading.Status.UNREADABLE, describeUnreadable(value));
        }
        if (hasUnpairedSurrogate(text)) {
            return EventIdReading.unusable(EventIdReading.Status.UNREADABLE,
                    "text with an unpaired UTF-16 surrogate, which has no UTF-8 form");
        }
        if (text.isBlank()) {
            return EventIdReading.unusable(EventIdReading.Status.BLANK, "blank value");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            return EventIdReading.unusable(EventIdReading.Status.TOO_LONG,
                    "value of " + length + " characters, more than the maximum of " + maxLength);
        }
        return EventIdReading.present(text);
    }

    private static String toText(Object value) {
        if (value instanceof CharSequence chars) {
            return chars.toString();
        }
        if (value instanceof byte[] bytes) {
            return decodeStrictUtf8(bytes);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof UUID uuid) {
            return uuid.toString();
        }
        return null;
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    private static String decodeStrictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String describeUnreadable(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes that are not valid UTF-8";
        }
        return "a value of type " + value.getClass().getName() + ", which has no text form";
    }
}
