package io.github.listenerdedup.demo;

import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;

/**
 * An ActiveMQ Classic broker inside the demo's JVM: nothing kept on disk, no JMX, one OpenWire connector on a free
 * loopback port.
 */
public final class EmbeddedActiveMqBroker implements AutoCloseable {

    private final BrokerService broker;
    private final String connectUrl;

    private EmbeddedActiveMqBroker(BrokerService broker, String connectUrl) {
        this.broker = broker;
        this.connectUrl = connectUrl;
    }

    /**
     * Starts a broker.
     *
     * @param name the broker's name, unique in this JVM
     * @return the running broker
     * @throws Exception when it cannot start
     */
    public static EmbeddedActiveMqBroker start(String name) throws Exception {
        BrokerService broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        broker.setSchedulerSupport(false);
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        return new EmbeddedActiveMqBroker(broker, "tcp://127.0.0.1:" + connector.getConnectUri().getPort());
    }

    /** @return the URL clients connect to, for example {@code tcp://127.0.0.1:40123} */
    public String connectUrl() {
        return connectUrl;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }
}
