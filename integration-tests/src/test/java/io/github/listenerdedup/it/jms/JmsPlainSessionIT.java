package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.jms.DeduplicatingSessionListener;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A plain JMS listener on the ActiveMQ client, decorated by {@link DeduplicatingSessionListener}, in every session
 * mode, through the {@linkplain SessionModeScenarios scenarios every mode must pass}: ActiveMQ redelivers a failed
 * message under AUTO, DUPS_OK and INDIVIDUAL acknowledge, and the decorator's {@code recover()} or
 * {@code rollback()} does under CLIENT acknowledge and in a transacted session.
 */
class JmsPlainSessionIT extends SessionModeScenarios {

    private PlainConsumers consumers;

    static Stream<SessionMode> modes() {
        return Arrays.stream(SessionMode.values());
    }

    @AfterEach
    void closeConsumers() throws JMSException {
        if (consumers != null) {
            consumers.close();
        }
    }

    @Override
    void start(SessionMode mode, MessageListener listener) throws JMSException {
        consumers = PlainConsumers.open(activeMq.connectionFactory())
                .add(queue, mode, listener, deduplicator)
                .start();
    }

    @Override
    Class<?> decoratorClass() {
        return DeduplicatingSessionListener.class;
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void shouldNameSessionModeWhenDecoratorIsCreated(SessionMode mode) throws Exception {
        start(mode, TestListeners.succeeding(runs));

        assertThat(consumers.listeners()).singleElement()
                .extracting(DeduplicatingSessionListener::acknowledgeMode).isEqualTo(modeName(mode));
    }

    private static String modeName(SessionMode mode) {
        return switch (mode) {
            case TRANSACTED -> "transacted";
            case INDIVIDUAL_ACKNOWLEDGE -> "INDIVIDUAL_ACKNOWLEDGE (4)";
            default -> mode.name();
        };
    }
}
