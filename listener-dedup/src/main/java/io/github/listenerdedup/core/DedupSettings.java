package io.github.listenerdedup.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of one deduplicated listener, immutable. Built with {@link #builder()}; each builder method rejects
 * a bad value at once, naming the field, the rule and the value given.
 *
 * <pre>{@code
 * DedupSettings settings = DedupSettings.builder()
 *         .group("billing")
 *         .lease(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 */
public final class DedupSettings {

    /** Default name of the header that carries the event id. */
    public static final String DEFAULT_HEADER_NAME = "eventId";
    /** Default first part of every key. */
    public static final String DEFAULT_KEY_PREFIX = "dedup";
    /** Default lifetime of an {@code IN_PROGRESS} claim. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** Default lifetime of a {@code COMPLETED} or {@code RELEASED} claim. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** Default time a delivery waits for another consumer's claim, or for the store, before it is requeued. */
    public static final Duration DEFAULT_IN_FLIGHT_WAIT = Duration.ofSeconds(5);
    /** Default maximum length of an event id, in characters. */
    public static final int DEFAULT_MAX_ID_LENGTH = 256;
    /** Default policy for a delivery without a usable id. */
    public static final MissingIdPolicy DEFAULT_MISSING_ID = MissingIdPolicy.REJECT;
    /** Default policy when the store cannot be reached. */
    public static final StoreFailurePolicy DEFAULT_STORE_FAILURE = StoreFailurePolicy.FAIL_CLOSED;
    /** Whether leases are renewed in the background by default. */
    public static final boolean DEFAULT_LEASE_RENEWAL = true;
    /** Default fingerprint mode. */
    public static final FingerprintMode DEFAULT_FINGERPRINT = FingerprintMode.NONE;
    /** Default number of failed attempts before an id is dead-lettered: 0, off. */
    public static final int DEFAULT_MAX_ATTEMPTS = 0;

    private final String group;
    private final String keyPrefix;
    private final String headerName;
    private final Duration lease;
    private final Duration retention;
    private final Duration inFlightWait;
    private final int maxIdLength;
    private final MissingIdPolicy missingId;
    private final StoreFailurePolicy storeFailure;
    private final boolean leaseRenewal;
    private final FingerprintMode fingerprint;
    private final int maxAttempts;
    private final StoreRetrySettings storeRetry;

    private DedupSettings(Builder builder) {
        this.group = builder.group;
        this.keyPrefix = builder.keyPrefix;
        this.headerName = builder.headerName;
        this.lease = builder.lease;
        this.retention = builder.retention;
        this.inFlightWait = builder.inFlightWait;
        this.maxIdLength = builder.maxIdLength;
        this.missingId = builder.missingId;
        this.storeFailure = builder.storeFailure;
        this.leaseRenewal = builder.leaseRenewal;
        this.fingerprint = builder.fingerprint;
        this.maxAttempts = builder.maxAttempts;
        this.storeRetry = builder.storeRetry;
    }

    /**
     * Starts a builder with every default set; only the group must be given.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .group(group)
                .keyPrefix(keyPrefix)
                .headerName(headerName)
                .lease(lease)
                .retention(retention)
                .inFlightWait(inFlightWait)
                .maxIdLength(maxIdLength)
                .missingId(missingId)
                .storeFailure(storeFailure)
                .leaseRenewal(leaseRenewal)
                .fingerprint(fingerprint)
                .maxAttempts(maxAttempts)
                .storeRetry(storeRetry);
    }

    /** @return the consumer group, the second part of every key */
    public String group() {
        return group;
    }

    /** @return the first part of every key */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** @return the header that carries the event id */
    public String headerName() {
        return headerName;
    }

    /** @return the lifetime of an {@code IN_PROGRESS} claim */
    public Duration lease() {
        return lease;
    }

    /** @return the lifetime of a {@code COMPLETED} or {@code RELEASED} claim */
    public Duration retention() {
        return retention;
    }

    /** @return how long a delivery waits for another consumer's claim, or for the store, before it is requeued */
    public Duration inFlightWait() {
        return inFlightWait;
    }

    /** @return the maximum length of an event id, in characters */
    public int maxIdLength() {
        return maxIdLength;
    }

    /** @return what happens to a delivery without a usable id */
    public MissingIdPolicy missingId() {
        return missingId;
    }

    /** @return what happens when the store cannot be reached */
    public StoreFailurePolicy storeFailure() {
        return storeFailure;
    }

    /** @return whether the lease is renewed in the background while a handler runs */
    public boolean leaseRenewal() {
        return leaseRenewal;
    }

    /** @return whether a fingerprint of each payload is kept with its claim */
    public FingerprintMode fingerprint() {
        return fingerprint;
    }

    /** @return failed attempts after which an id is dead-lettered; 0 when off */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return how store calls are retried */
    public StoreRetrySettings storeRetry() {
        return storeRetry;
    }

    /**
     * The key of an event id in this group.
     *
     * @param eventId the id
     * @return {@code keyPrefix:group:eventId}
     */
    public ClaimKey keyFor(String eventId) {
        return new ClaimKey(keyPrefix, group, eventId);
    }

    @Override
    public String toString() {
        return "DedupSettings{group=" + group + ", keyPrefix=" + keyPrefix + ", headerName=" + headerName
                + ", lease=" + lease + ", retention=" + retention + ", inFlightWait=" + inFlightWait
                + ", maxIdLength=" + maxIdLength + ", missingId=" + missingId + ", storeFailure=" + storeFailure
                + ", leaseRenewal=" + leaseRenewal + ", fingerprint=" + fingerprint + ", maxAttempts=" + maxAttempts
                + ", storeRetry=" + storeRetry + "}";
    }

    /**
     * Builds {@link DedupSettings}. Every method rejects a bad value at once; {@link #build()} rejects a missing
     * group and settings that contradict each other.
     */
    public static final class Builder {

        private String group;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private String headerName = DEFAULT_HEADER_NAME;
        private Duration lease = DEFAULT_LEASE;
        private Duration retention = DEFAULT_RETENTION;
        private Duration inFlightWait = DEFAULT_IN_FLIGHT_WAIT;
        private int maxIdLength = DEFAULT_MAX_ID_LENGTH;
        private MissingIdPolicy missingId = DEFAULT_MISSING_ID;
        private StoreFailurePolicy storeFailure = DEFAULT_STORE_FAILURE;
        private boolean leaseRenewal = DEFAULT_LEASE_RENEWAL;
        private FingerprintMode fingerprint = DEFAULT_FINGERPRINT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private StoreRetrySettings storeRetry = StoreRetrySettings.DEFAULTS;

        private Builder() {
        }

        /**
         * The consumer group: two listeners with different groups each handle an event once. Required; no
         * {@code :}.
         *
         * @param group the group, for example {@code billing}
         * @return this builder
         */
        public Builder group(String group) {
            this.group = ClaimKey.requireKeyPart("group", group);
            return this;
        }

        /**
         * The first part of every key; no {@code :}. Default {@code dedup}.
         *
         * @param keyPrefix the prefix
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = ClaimKey.requireKeyPart("keyPrefix", keyPrefix);
            return this;
        }

        /**
         * The header (AMQP header or JMS property) that carries the event id. Default {@code eventId}.
         *
         * @param headerName the header name
         * @return this builder
         */
        public Builder headerName(String headerName) {
            if (headerName == null || headerName.isBlank()) {
                throw new IllegalArgumentException("headerName must not be blank, but was " + quote(headerName));
            }
            this.headerName = headerName;
            return this;
        }

        /**
         * How long an {@code IN_PROGRESS} claim lives: a consumer that dies mid-handler blocks redeliveries of its
         * event for this long. Default 30 seconds; at least 1 second.
         *
         * @param lease the lease
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = requireAtLeast("lease", lease, Duration.ofSeconds(1));
            return this;
        }

        /**
         * How long a {@code COMPLETED} or {@code RELEASED} claim is kept: the window in which a redelivery is
         * recognised as a duplicate. Default 24 hours; at least 1 second.
         *
         * @param retention the retention
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = requireAtLeast("retention", retention, Duration.ofSeconds(1));
            return this;
        }

        /**
         * How long a delivery whose id another consumer is handling, or that cannot reach the store, is held
         * before it is requeued. Default 5 seconds; zero requeues at once.
         *
         * @param inFlightWait the wait
         * @return this builder
         */
        public Builder inFlightWait(Duration inFlightWait) {
            this.inFlightWait = requireAtLeast("inFlightWait", inFlightWait, Duration.ZERO);
            return this;
        }

        /**
         * The most characters an event id may have; a longer one is handled by the missing-id policy. Default 256.
         *
         * @param maxIdLength the maximum, from 1 to 65536
         * @return this builder
         */
        public Builder maxIdLength(int maxIdLength) {
            if (maxIdLength < 1 || maxIdLength > 65_536) {
                throw new IllegalArgumentException(
                        "maxIdLength must be between 1 and 65536, but was " + maxIdLength);
            }
            this.maxIdLength = maxIdLength;
            return this;
        }

        /**
         * What happens to a delivery without a usable id. Default {@link MissingIdPolicy#REJECT}.
         *
         * @param missingId the policy
         * @return this builder
         */
        public Builder missingId(MissingIdPolicy missingId) {
            this.missingId = Objects.requireNonNull(missingId, "missingId must not be null");
            return this;
        }

        /**
         * What happens when the store cannot be reached. Default {@link StoreFailurePolicy#FAIL_CLOSED}.
         *
         * @param storeFailure the policy
         * @return this builder
         */
        public Builder storeFailure(StoreFailurePolicy storeFailure) {
            this.storeFailure = Objects.requireNonNull(storeFailure, "storeFailure must not be null");
            return this;
        }

        /**
         * Whether the lease is renewed in the background while a handler runs past a third of it, so a slow handler
         * keeps its claim. Default {@code true}.
         *
         * @param leaseRenewal whether to renew
         * @return this builder
         */
        public Builder leaseRenewal(boolean leaseRenewal) {
            this.leaseRenewal = leaseRenewal;
            return this;
        }

        /**
         * Whether a fingerprint of each payload is kept with its claim, to catch an id reused for other content.
         * Default {@link FingerprintMode#NONE}.
         *
         * @param fingerprint the mode
         * @return this builder
         */
        public Builder fingerprint(FingerprintMode fingerprint) {
            this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint must not be null");
            return this;
        }

        /**
         * After how many failed attempts an id is dead-lettered instead of nacked, its claim discarded so a replay
         * from the dead-letter queue starts afresh; counted in the store, so it works on queues without a delivery
         * limit. Default 0, off.
         *
         * @param maxAttempts the number of failed attempts, 0 to 1000
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 0 || maxAttempts > 1000) {
                throw new IllegalArgumentException(
                        "maxAttempts must be between 0 (off) and 1000, but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How store calls that cannot reach the store are retried. Default {@link StoreRetrySettings#DEFAULTS}:
         * three calls, 50 ms and 100 ms apart.
         *
         * @param storeRetry the retry settings
         * @return this builder
         */
        public Builder storeRetry(StoreRetrySettings storeRetry) {
            this.storeRetry = Objects.requireNonNull(storeRetry, "storeRetry must not be null");
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalStateException when the group is missing or the retention is shorter than the lease
         */
        public DedupSettings build() {
            if (group == null) {
                throw new IllegalStateException(
                        "group is required: name the consuming listener, for example 'billing'");
            }
            if (retention.compareTo(lease) < 0) {
                throw new IllegalStateException("retention must be at least the lease (" + lease + "), but was "
                        + retention);
            }
            return new DedupSettings(this);
        }

        private static Duration requireAtLeast(String field, Duration value, Duration minimum) {
            if (value == null || value.compareTo(minimum) < 0) {
                throw new IllegalArgumentException(field + " must be at least " + minimum + ", but was " + value);
            }
            return value;
        }

        private static String quote(String value) {
            return value == null ? "null" : "'" + value + "'";
        }
    }
}
