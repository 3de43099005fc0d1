package io.github.listenerdedup.core;

/**
 * Makes untrusted text safe to put in a log line: control characters are written as escapes, so an event id can
 * neither forge a log line nor hide in one.
 */
public final class LogText {

    private LogText() {
    }

    /**
     * Escapes control characters as {@code \n}, {@code \r}, {@code \t}, or a backslash, {@code u} and four
     * hexadecimal digits.
     *
     * @param text the text, may be null
     * @return the escaped text, or {@code "null"}
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        if (text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
