package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.listenerdedup.jms.JmsFakes.RecordingSession;
import jakarta.jms.BytesMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.StreamMessage;
import java.nio.charset.StandardCharsets;
import org.apache.activemq.command.ActiveMQBytesMessage;
import org.apache.activemq.command.ActiveMQMapMessage;
import org.apache.activemq.command.ActiveMQMessage;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.activemq.command.ActiveMQStreamMessage;
import org.junit.jupiter.api.Test;

class PortableDeadLetterCopyTest {

    private static final String REASON = "rejected-id: event id MISSING (no value)";

    private final RecordingSession session = new RecordingSession();

    @Test
    void shouldCopyBytesWhenMessageIsBytesMessage() throws Exception {
        ActiveMQBytesMessage original = received(new ActiveMQBytesMessage());
        original.setReadOnlyBody(false);
        original.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
        original.reset();

        BytesMessage copy = (BytesMessage) PortableDeadLetterCopy.of(original, session.session(), REASON);

        assertThat(copy.getBody(byte[].class)).asString(StandardCharsets.UTF_8).isEqualTo("payload");
        assertThat(copy.getStringProperty("tenant")).isEqualTo("t1");
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.REJECT_REASON_PROPERTY)).isEqualTo(REASON);
        assertThat(copy.getStringProperty(DeduplicatingMessageListener.ORIGINAL_DESTINATION_PROPERTY))
                .isEqualTo("queue 'orders'");
    }

    @Test
    void shouldCopyEntriesWhenMessageIsMapMessage() throws Exception {
        ActiveMQMapMessage original = received(new ActiveMQMapMessage());
        original.setReadOnlyBody(false);
        original.setString("orderId", "o-1");
        original.setLong("amount", 42L);
        original.setReadOnlyBody(true);

        MapMessage copy = (MapMessage) PortableDeadLetterCopy.of(original, session.session(), REASON);

        assertThat(copy.getString("orderId")).isEqualTo("o-1");
        assertThat(copy.getObject("amount")).isEqualTo(42L);
    }

    @Test
    void shouldCopyValuesInOrderWhenMessageIsStreamMessage() throws Exception {
        ActiveMQStreamMessage original = received(new ActiveMQStreamMessage());
        original.setReadOnlyBody(false);
        original.writeString("first");
        original.writeInt(2);
        original.reset();

        StreamMessage copy = (StreamMessage) PortableDeadLetterCopy.of(original, session.session(), REASON);
        copy.reset();

        assertThat(copy.readString()).isEqualTo("first");
        assertThat(copy.readInt()).isEqualTo(2);
    }

    @Test
    void shouldCopyHeadersAndPropertiesWhenMessageHasNoBody() throws Exception {
        ActiveMQMessage original = received(new ActiveMQMessage());
        original.setJMSCorrelationID("corr-1");
        original.setJMSType("order-placed");

        Message copy = PortableDeadLetterCopy.of(original, session.session(), REASON);

        assertThat(copy.getJMSCorrelationID()).isEqualTo("corr-1");
        assertThat(copy.getJMSType()).isEqualTo("order-placed");
        assertThat(copy.getStringProperty("tenant")).isEqualTo("t1");
    }

    private static <M extends ActiveMQMessage> M received(M message) throws Exception {
        message.setStringProperty("tenant", "t1");
        message.setDestination(new ActiveMQQueue("orders"));
        message.setReadOnlyProperties(true);
        return message;
    }
}
