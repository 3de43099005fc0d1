package io.github.listenerdedup.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts behind the store operations, one per operation, each read from the jar with its SHA-1 digest
 * computed here, so that a call goes out as {@code EVALSHA} without loading the script first.
 */
enum ClaimScript {

    /** Absent or released becomes in progress for the token; answers what holds the key. */
    CLAIM("claim.lua", true),
    /** Extends the lease of an in-progress claim the token owns. */
    RENEW("renew.lua", true),
    /** An in-progress claim of the token becomes completed. */
    COMPLETE("complete.lua", true),
    /** An in-progress claim of the token becomes released. */
    RELEASE("release.lua", true),
    /** Deletes an in-progress or released claim of the token. */
    DISCARD("discard.lua", true),
    /** Reads the value and its time left. */
    INSPECT("inspect.lua", false),
    /** Deletes the key whoever owns it. */
    FORGET("forget.lua", false);

    private static final String VALUE_READER = "claim-value.lua";

    private final String source;
    private final String sha;

    ClaimScript(String file, boolean readsClaimValue) {
        this.source = (readsClaimValue ? read(VALUE_READER) : "") + read(file);
        this.sha = sha1(source);
    }

    /** @return the Lua source as sent by {@code EVAL} */
    String source() {
        return source;
    }

    /** @return the lower-case hex SHA-1 of the source, as {@code EVALSHA} wants it */
    String sha() {
        return sha;
    }

    private static String read(String file) {
        try (InputStream in = ClaimScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read Lua script " + file, e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
