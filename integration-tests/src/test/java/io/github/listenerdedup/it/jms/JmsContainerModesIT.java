package io.github.listenerdedup.it.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.jms.DeduplicatingMessageListener;
import io.github.listenerdedup.jms.JmsDeduplication;
import jakarta.jms.MessageListener;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * The Spring container in each session mode it supports, transacted, {@code CLIENT_ACKNOWLEDGE} and ActiveMQ's
 * {@code INDIVIDUAL_ACKNOWLEDGE}, through the {@linkplain SessionModeScenarios scenarios every mode must pass}; and
 * the modes in which the container acknowledges before the listener runs, refused at start-up (C15).
 */
class JmsContainerModesIT extends SessionModeScenarios {

    static Stream<SessionMode> modes() {
        return Stream.of(SessionMode.TRANSACTED, SessionMode.CLIENT_ACKNOWLEDGE, SessionMode.INDIVIDUAL_ACKNOWLEDGE);
    }

    @Override
    void start(SessionMode mode, MessageListener listener) {
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, listener, mode);
        JmsDeduplication.applyTo(container, deduplicator);
        activeMq.start(container, 1);
    }

    @Override
    Class<?> decoratorClass() {
        return DeduplicatingMessageListener.class;
    }

    @ParameterizedTest
    @EnumSource(value = SessionMode.class, names = {"AUTO_ACKNOWLEDGE", "DUPS_OK_ACKNOWLEDGE"})
    void shouldRefuseStartupWhenContainerAcknowledgesBeforeListener(SessionMode mode) throws Exception {
        activeMq.publish(queue, Map.of(HEADER, "E15"), "body");
        DefaultMessageListenerContainer container = activeMq.container(queue, 1, TestListeners.succeeding(runs),
                mode);

        assertThatThrownBy(() -> JmsDeduplication.applyTo(container, deduplicator))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sessionTransacted=false with sessionAcknowledgeMode=" + mode.name() + " is refused for "
                        + "deduplication on queue '" + queue + "': this container acknowledges each message before "
                        + "the listener runs, so a delivery whose claim was released could never be retried; set "
                        + "sessionTransacted=true, or sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE");
        assertThat(activeMq.queueSize(queue)).isEqualTo(1);
        assertThat(runs.totalStarts()).isZero();
    }
}
