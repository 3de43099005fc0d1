package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.Test;
import org.springframework.jms.config.SimpleJmsListenerEndpoint;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

class JmsDeduplicationTest {

    private static final String RETRY_IMPOSSIBLE = ": this container acknowledges each message before the listener "
            + "runs, so a delivery whose claim was released could never be retried; set sessionTransacted=true";
    private static final String NOT_ATOMIC = ": without a transacted session the dead-letter copy of a rejected "
            + "delivery cannot be committed together with its acknowledgement; set sessionTransacted=true";

    private final MessageListener listener = message -> { };
    private final Deduplicator deduplicator = deduplicator(DedupSettings.DEFAULT_HEADER_NAME);

    @Test
    void shouldWrapListenerWhenSessionIsTransacted() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);

        DeduplicatingMessageListener installed = JmsDeduplication.applyTo(container, deduplicator);

        assertThat(container.getMessageListener()).isSameAs(installed);
        assertThat(installed.delegate()).isSameAs(listener);
        assertThat(installed.deduplicator()).isSameAs(deduplicator);
        assertThat(installed.deadLetterQueue()).isEqualTo("ActiveMQ.DLQ");
        assertThat(installed.readsIdFromHeader()).isTrue();
    }

    @Test
    void shouldUseConfiguredQueueAndResolverWhenGiven() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);

        DeduplicatingMessageListener installed = JmsDeduplication.of(deduplicator)
                .idResolver(message -> message.getJMSCorrelationID())
                .deadLetterQueue("DLQ.orders")
                .applyTo(container);

        assertThat(installed.deadLetterQueue()).isEqualTo("DLQ.orders");
        assertThat(installed.readsIdFromHeader()).isFalse();
    }

    @Test
    void shouldRefuseStartWhenNotTransactedWithAutoAcknowledge() {
        assertRefused(container(false, Session.AUTO_ACKNOWLEDGE), "sessionTransacted=false with "
                + "sessionAcknowledgeMode=AUTO_ACKNOWLEDGE is refused for deduplication on queue 'orders'"
                + RETRY_IMPOSSIBLE);
    }

    @Test
    void shouldRefuseStartWhenNotTransactedWithDupsOkAcknowledge() {
        assertRefused(container(false, Session.DUPS_OK_ACKNOWLEDGE), "sessionTransacted=false with "
                + "sessionAcknowledgeMode=DUPS_OK_ACKNOWLEDGE is refused for deduplication on queue 'orders'"
                + RETRY_IMPOSSIBLE);
    }

    @Test
    void shouldRefuseStartWhenClientAcknowledge() {
        assertRefused(container(false, Session.CLIENT_ACKNOWLEDGE), "sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE is "
                + "not supported yet for deduplication on queue 'orders'" + NOT_ATOMIC);
    }

    @Test
    void shouldRefuseStartWhenIndividualAcknowledge() {
        assertRefused(container(false, 4), "sessionAcknowledgeMode=INDIVIDUAL_ACKNOWLEDGE (4) is not supported yet "
                + "for deduplication on queue 'orders'" + NOT_ATOMIC);
    }

    @Test
    void shouldRefuseStartWhenAcknowledgeModeIsUnknown() {
        assertRefused(container(false, 101), "sessionAcknowledgeMode=101 is not supported for deduplication on "
                + "queue 'orders': only transacted sessions are; set sessionTransacted=true");
    }

    @Test
    void shouldNameTopicWhenContainerListensToOne() {
        DefaultMessageListenerContainer container = container(false, Session.AUTO_ACKNOWLEDGE);
        container.setDestination(new ActiveMQTopic("events"));

        assertThatThrownBy(() -> JmsDeduplication.applyTo(container, deduplicator))
                .hasMessageContaining("for deduplication on topic 'events':");
    }

    @Test
    void shouldRefuseStartWhenListenerSessionIsNotExposed() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);
        container.setExposeListenerSession(false);

        assertRefused(container, "exposeListenerSession=false is refused for deduplication on queue 'orders': the "
                + "dead-letter copy of a rejected delivery would be sent in another session than the one that "
                + "consumes it, and committed apart from it; set exposeListenerSession=true");
    }

    @Test
    void shouldRefuseStartWhenListenerIsMissing() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);
        container.setMessageListener(null);

        assertRefused(container, "messageListener is not set on the container for queue 'orders': set the listener "
                + "before applying deduplication");
    }

    @Test
    void shouldRefuseSecondInstallationWhenAppliedTwice() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);
        DeduplicatingMessageListener first = JmsDeduplication.applyTo(container, deduplicator);

        assertRefused(container, "messageListener on queue 'orders' is already deduplicated for group 'billing': "
                + "apply deduplication once per container");
        assertThat(container.getMessageListener()).isSameAs(first);
    }

    @Test
    void shouldWarnWithoutRefusingWhenPropertyNameIsNotJavaIdentifier() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);

        String log = CapturedLogs.during(JmsDeduplication.class,
                () -> JmsDeduplication.applyTo(container, deduplicator("event-id")));

        assertThat(container.getMessageListener()).isInstanceOf(DeduplicatingMessageListener.class);
        assertThat(log).contains("WARN io.github.listenerdedup.jms.JmsDeduplication - Event id property 'event-id' "
                + "of group 'billing' on queue 'orders' is not a Java identifier: JMS message selectors cannot refer "
                + "to it, though ActiveMQ accepts it and STOMP producers send it");
    }

    @Test
    void shouldNotWarnWhenPropertyNameIsJavaIdentifier() {
        String log = CapturedLogs.during(JmsDeduplication.class,
                () -> JmsDeduplication.applyTo(container(true, Session.AUTO_ACKNOWLEDGE), deduplicator("event_Id$2")));

        assertThat(log).doesNotContain("WARN").contains("Deduplicating the listener on queue 'orders' for group "
                + "'billing': event id from property 'event_Id$2', rejected deliveries copied to queue 'ActiveMQ.DLQ'");
    }

    @Test
    void shouldDeduplicateListenerWhenFactoryCreatesContainer() {
        DeduplicatingJmsListenerContainerFactory factory = new DeduplicatingJmsListenerContainerFactory(
                endpoint -> JmsDeduplication.of(deduplicator).deadLetterQueue("DLQ." + endpoint.getId()));
        factory.setSessionTransacted(true);

        DefaultMessageListenerContainer container = factory.createListenerContainer(endpoint());

        assertThat(container.getMessageListener()).isInstanceOfSatisfying(DeduplicatingMessageListener.class,
                installed -> {
                    assertThat(installed.delegate()).isSameAs(listener);
                    assertThat(installed.deadLetterQueue()).isEqualTo("DLQ.billing-listener");
                });
    }

    @Test
    void shouldRefuseContainerWhenFactoryIsNotTransacted() {
        DeduplicatingJmsListenerContainerFactory factory = new DeduplicatingJmsListenerContainerFactory(
                endpoint -> JmsDeduplication.of(deduplicator));

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sessionTransacted=false with sessionAcknowledgeMode=AUTO_ACKNOWLEDGE is refused for "
                        + "deduplication on queue 'orders'" + RETRY_IMPOSSIBLE);
    }

    @Test
    void shouldRefuseEndpointWhenFactoryFunctionAnswersNull() {
        DeduplicatingJmsListenerContainerFactory factory = new DeduplicatingJmsListenerContainerFactory(
                endpoint -> null);
        factory.setSessionTransacted(true);

        assertThatThrownBy(() -> factory.createListenerContainer(endpoint()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("deduplicationFor answered null for JMS listener endpoint 'billing-listener': answer the "
                        + "deduplication of every endpoint");
    }

    @Test
    void shouldRefuseBlankDeadLetterQueueWhenConfigured() {
        assertThatThrownBy(() -> JmsDeduplication.of(deduplicator).deadLetterQueue(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadLetterQueue must not be blank, but was ' '");
    }

    private void assertRefused(DefaultMessageListenerContainer container, String message) {
        assertThatThrownBy(() -> JmsDeduplication.applyTo(container, deduplicator))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(message);
    }

    private DefaultMessageListenerContainer container(boolean transacted, int acknowledgeMode) {
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setDestinationName("orders");
        container.setSessionTransacted(transacted);
        container.setSessionAcknowledgeMode(acknowledgeMode);
        container.setMessageListener(listener);
        return container;
    }

    private SimpleJmsListenerEndpoint endpoint() {
        SimpleJmsListenerEndpoint endpoint = new SimpleJmsListenerEndpoint();
        endpoint.setId("billing-listener");
        endpoint.setDestination("orders");
        endpoint.setMessageListener(listener);
        return endpoint;
    }

    private static Deduplicator deduplicator(String headerName) {
        DedupSettings settings = DedupSettings.builder().group("billing").headerName(headerName).build();
        return new Deduplicator(settings, new InMemoryClaimStore());
    }
}
