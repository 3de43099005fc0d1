package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.jms.JmsFakes.RecordingSession;
import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import java.lang.reflect.Proxy;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;

class ListenerSessionTest {

    private final RecordingSession recording = new RecordingSession();

    @Test
    void shouldPassCallsOnWithoutNotingHandBackWhenListenerOnlySends() throws Exception {
        ListenerSession listenerSession = new ListenerSession(recording.session());

        Session view = listenerSession.view();

        assertThat(view.createQueue("audit")).isEqualTo(new ActiveMQQueue("audit"));
        assertThat(view.getTransacted()).isTrue();
        assertThat(listenerSession.handBack()).isNull();
        assertThat(recording.calls()).isEmpty();
    }

    @Test
    void shouldNoteRollbackAndPassItOnWhenListenerRollsBack() throws Exception {
        ListenerSession listenerSession = new ListenerSession(recording.session());

        listenerSession.view().rollback();

        assertThat(listenerSession.handBack()).isEqualTo("rollback()");
        assertThat(recording.calls()).containsExactly("rollback");
    }

    @Test
    void shouldNoteRecoverAndRethrowSameExceptionWhenSessionFails() {
        recording.failOn("recover");
        ListenerSession listenerSession = new ListenerSession(recording.session());

        assertThatThrownBy(() -> listenerSession.view().recover()).isInstanceOf(JMSException.class)
                .hasMessage("recover failed: the connection is closed");
        assertThat(listenerSession.handBack()).isEqualTo("recover()");
    }

    @Test
    void shouldImplementEveryJmsSessionInterfaceWhenSessionHasSeveral() {
        Session both = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {QueueSession.class, TopicSession.class}, (proxy, method, args) -> null);

        Session view = new ListenerSession(both).view();

        assertThat(view).isInstanceOf(QueueSession.class).isInstanceOf(TopicSession.class);
    }

    @Test
    void shouldKeepOneViewEqualOnlyToItselfWhenAskedTwice() {
        ListenerSession listenerSession = new ListenerSession(recording.session());

        Session view = listenerSession.view();

        assertThat(listenerSession.view()).isSameAs(view);
        assertThat(view).isEqualTo(view).isNotEqualTo(recording.session())
                .hasSameHashCodeAs(System.identityHashCode(view));
    }
}
