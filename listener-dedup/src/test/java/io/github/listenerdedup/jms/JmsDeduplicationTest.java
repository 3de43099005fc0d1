package io.github.listenerdedup.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.listenerdedup.CapturedLogs;
import io.github.listenerdedup.core.DedupSettings;
import io.github.listenerdedup.core.Deduplicator;
import io.github.listenerdedup.store.memory.InMemoryClaimStore;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.Test;
import org.springframework.jms.config.SimpleJmsListenerEndpoint;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

class JmsDeduplicationTest {

    private static final String RETRY_IMPOSSIBLE = ": this container acknowledges each message before the listener "
            + "runs, so a delivery whose claim was released could never be retried; set sessionTransacted=true, or "
            + "sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE";
    private static final String NOTHING_ACKNOWLEDGES = ": a duplicate never reaches the listener, so nothing would "
            + "acknowledge it; set acknowledgeAfterListener=true";

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
    void shouldWrapListenerWhenClientAcknowledge() {
        DefaultMessageListenerContainer container = container(false, Session.CLIENT_ACKNOWLEDGE);

        DeduplicatingMessageListener installed = JmsDeduplication.applyTo(container, deduplicator);

        assertThat(container.getMessageListener()).isSameAs(installed);
    }

    @Test
    void shouldWrapListenerWhenIndividualAcknowledge() {
        DefaultMessageListenerContainer container = container(false, 4);

        DeduplicatingMessageListener installed = JmsDeduplication.applyTo(container, deduplicator);

        assertThat(container.getMessageListener()).isSameAs(installed);
    }

    @Test
    void shouldRefuseStartWhenClientAcknowledgeLeavesAcknowledgementToListener() {
        DefaultMessageListenerContainer container = container(false, Session.CLIENT_ACKNOWLEDGE);
        container.setAcknowledgeAfterListener(false);

        assertRefused(container, "acknowledgeAfterListener=false with sessionAcknowledgeMode=CLIENT_ACKNOWLEDGE is "
                + "refused for deduplication on queue 'orders'" + NOTHING_ACKNOWLEDGES);
    }

    @Test
    void shouldRefuseStartWhenIndividualAcknowledgeLeavesAcknowledgementToListener() {
        DefaultMessageListenerContainer container = container(false, 4);
        container.setAcknowledgeAfterListener(false);

        assertRefused(container, "acknowledgeAfterListener=false with sessionAcknowledgeMode=INDIVIDUAL_ACKNOWLEDGE "
                + "(4) is refused for deduplication on queue 'orders'" + NOTHING_ACKNOWLEDGES);
    }

    @Test
    void shouldAllowUnexposedSessionWhenClientAcknowledge() {
        DefaultMessageListenerContainer container = container(false, Session.CLIENT_ACKNOWLEDGE);
        container.setExposeListenerSession(false);

        JmsDeduplication.applyTo(container, deduplicator);

        assertThat(container.getMessageListener()).isInstanceOf(DeduplicatingMessageListener.class);
    }

    @Test
    void shouldRefuseStartWhenAcknowledgeModeIsUnknown() {
        assertRefused(container(false, 101), "sessionAcknowledgeMode=101 is not supported for deduplication on "
                + "queue 'orders': only transacted sessions, CLIENT_ACKNOWLEDGE and ActiveMQ's INDIVIDUAL_ACKNOWLEDGE "
                + "(4) are; set sessionTransacted=true");
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
                + "'billing': event id from property 'event_Id$2'");
    }

    @Test
    void shouldWarnWhenPropertyNameIsSelectorWord() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);

        String log = CapturedLogs.during(JmsDeduplication.class,
                () -> JmsDeduplication.applyTo(container, deduplicator("escape")));

        assertThat(log).contains("WARN io.github.listenerdedup.jms.JmsDeduplication - Event id property 'escape' of "
                + "group 'billing' on queue 'orders' is a word of the JMS selector syntax: message selectors cannot "
                + "refer to it, though ActiveMQ accepts it");
    }

    @Test
    void shouldWarnWhenFailoverConnectionFactoryChecksDuplicates() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);
        container.setConnectionFactory(new ActiveMQConnectionFactory("failover:(tcp://127.0.0.1:61616)"));

        String log = CapturedLogs.during(JmsDeduplication.class,
                () -> JmsDeduplication.applyTo(container, deduplicator));

        assertThat(log).contains("WARN io.github.listenerdedup.jms.JmsDeduplication - The ActiveMQ connection of "
                + "queue 'orders' uses the failover transport with checkForDuplicates=true: after a reconnect the "
                + "client poison-acks a redelivered message it had handed to a listener before, and the broker "
                + "dead-letters it; set checkForDuplicates=false on the connection factory (or "
                + "jms.checkForDuplicates=false in the broker URL), since the deduplicator recognises redeliveries "
                + "itself");
    }

    @Test
    void shouldNotWarnWhenFailoverConnectionFactoryLeavesDuplicatesToDeduplicator() {
        DefaultMessageListenerContainer container = container(true, Session.AUTO_ACKNOWLEDGE);
        ActiveMQConnectionFactory connectionFactory = new ActiveMQConnectionFactory("failover:(tcp://127.0.0.1:61616)");
        connectionFactory.setCheckForDuplicates(false);
        container.setConnectionFactory(connectionFactory);

        String log = CapturedLogs.during(JmsDeduplication.class,
                () -> JmsDeduplication.applyTo(container, deduplicator));

        assertThat(log).doesNotContain("WARN");
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
