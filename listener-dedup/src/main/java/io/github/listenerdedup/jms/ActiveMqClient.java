package io.github.listenerdedup.jms;

/**
 * Whether the ActiveMQ client is on the class path, so that the classes that use its types are loaded only then.
 */
final class ActiveMqClient {

    /** Whether {@code org.apache.activemq.command.ActiveMQMessage} can be loaded. */
    static final boolean PRESENT = isPresent("org.apache.activemq.command.ActiveMQMessage");

    private ActiveMqClient() {
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, ActiveMqClient.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
