package io.github.listenerdedup.store.redis;

/**
 * Guards the one way a Java string can lose its identity on its way to Redis: UTF-8 has no encoding for an unpaired
 * surrogate, so the codec writes {@code ?} in its place and two different ids would meet in one key.
 */
final class WellFormedText {

    private WellFormedText() {
    }

    /**
     * Checks that the text encodes to UTF-8 without loss.
     *
     * @param field what the text is, used in the message
     * @param text  the text, or {@code null}
     * @return the text
     * @throws IllegalArgumentException when the text holds an unpaired surrogate
     */
    static String require(String field, String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be well-formed UTF-16 to be stored in Redis, but "
                        + "holds an unpaired surrogate " + String.format("U+%04X", (int) c) + " at index " + i);
            }
        }
        return text;
    }
}
