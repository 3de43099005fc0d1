package io.github.listenerdedup.store.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** A script executor that records each call and answers what the test set up, standing in for Redis. */
final class ScriptedRedis implements ScriptExecutor {

    /** One recorded call. */
    record Call(ClaimScript script, String key, List<String> args) {
    }

    private final List<Call> calls = new ArrayList<>();
    private Supplier<List<Object>> answer = () -> List.of(1L, "", -2L);

    @Override
    public List<Object> run(ClaimScript script, String key, String... args) {
        calls.add(new Call(script, key, Arrays.asList(args)));
        return answer.get();
    }

    /**
     * Sets the reply of the next calls.
     *
     * @param outcome  1 when done
     * @param value    the value, empty for none
     * @param pttl     the time left in ms
     */
    void answer(long outcome, String value, long pttl) {
        answer = () -> List.of(outcome, value, pttl);
    }

    /**
     * Makes the next calls throw.
     *
     * @param failure what to throw
     */
    void fail(RuntimeException failure) {
        answer = () -> {
            throw failure;
        };
    }

    /** @return the calls so far */
    List<Call> calls() {
        return calls;
    }

    /** @return the last call */
    Call lastCall() {
        return calls.get(calls.size() - 1);
    }
}
