package io.github.listenerdedup.jms;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/**
 * How a plain JMS session settles a delivery its listener was given, by acknowledge mode, as the ActiveMQ client
 * behaves: under {@code AUTO_ACKNOWLEDGE}, {@code DUPS_OK_ACKNOWLEDGE} and {@code INDIVIDUAL_ACKNOWLEDGE} it
 * redelivers a message whose listener threw; under {@code CLIENT_ACKNOWLEDGE} and in a transacted session it moves
 * on to the next message, so the listener must {@code recover()} or {@code rollback()} itself.
 */
enum SessionAcknowledgement {

    /** The session acknowledges when the listener returns; a thrown exception makes ActiveMQ redeliver. */
    AUTO("AUTO_ACKNOWLEDGE", false, true),

    /** As {@link #AUTO}, the acknowledgements sent lazily in batches. */
    DUPS_OK("DUPS_OK_ACKNOWLEDGE", false, true),

    /** ActiveMQ's mode 4: each message is acknowledged on its own; a thrown exception makes ActiveMQ redeliver. */
    INDIVIDUAL("INDIVIDUAL_ACKNOWLEDGE (4)", true, true),

    /** {@code acknowledge()} covers every message the session has received; {@code recover()} redelivers them. */
    CLIENT("CLIENT_ACKNOWLEDGE", true, false),

    /** {@code commit()} consumes, and sends what the listener sent; {@code rollback()} redelivers. */
    TRANSACTED("transacted", false, false);

    /** ActiveMQ's vendor mode that acknowledges one message at a time. */
    static final int INDIVIDUAL_ACKNOWLEDGE = 4;

    private final String description;
    private final boolean acknowledgesMessage;
    private final boolean redeliversWhenListenerThrows;

    SessionAcknowledgement(String description, boolean acknowledgesMessage, boolean redeliversWhenListenerThrows) {
        this.description = description;
        this.acknowledgesMessage = acknowledgesMessage;
        this.redeliversWhenListenerThrows = redeliversWhenListenerThrows;
    }

    /**
     * The settlement of a session.
     *
     * @param session the session
     * @return its settlement
     * @throws JMSException          when the session cannot say its mode
     * @throws IllegalStateException when the mode is none of JMS's or ActiveMQ's
     */
    static SessionAcknowledgement of(Session session) throws JMSException {
        if (session.getTransacted()) {
            return TRANSACTED;
        }
        int mode = session.getAcknowledgeMode();
        return switch (mode) {
            case Session.AUTO_ACKNOWLEDGE -> AUTO;
            case Session.DUPS_OK_ACKNOWLEDGE -> DUPS_OK;
            case Session.CLIENT_ACKNOWLEDGE -> CLIENT;
            case INDIVIDUAL_ACKNOWLEDGE -> INDIVIDUAL;
            default -> throw new IllegalStateException("Session acknowledge mode " + mode + " is not supported for "
                    + "deduplication: only transacted sessions, AUTO_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE, "
                    + "CLIENT_ACKNOWLEDGE and ActiveMQ's INDIVIDUAL_ACKNOWLEDGE (4) are");
        };
    }

    /** @return the mode as the JMS constants name it */
    String description() {
        return description;
    }

    /** @return whether the session redelivers by itself when the listener throws */
    boolean redeliversWhenListenerThrows() {
        return redeliversWhenListenerThrows;
    }

    /**
     * Consumes a delivery that was handled, skipped as a duplicate or copied to the dead-letter queue.
     *
     * @param session the session
     * @param message the delivery
     * @throws JMSException when the broker cannot be told
     */
    void consume(Session session, Message message) throws JMSException {
        if (this == TRANSACTED) {
            session.commit();
        } else if (acknowledgesMessage) {
            message.acknowledge();
        }
    }

    /**
     * Hands a delivery back for redelivery, where the listener must do so itself; in the other modes the caller
     * throws, and the session redelivers.
     *
     * @param session the session
     * @throws JMSException when the broker cannot be told
     */
    void giveBack(Session session) throws JMSException {
        if (this == TRANSACTED) {
            session.rollback();
        } else if (this == CLIENT) {
            session.recover();
        }
    }
}
