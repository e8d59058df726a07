package io.coherence.application.ingest;

/**
 * Who may write which tenant through a stream ({@code COHERENCE_KAFKA_TRUST}). The broker does not
 * tell a consumer who produced a record, so the record has to say it, or the broker's ACLs have to
 * be the whole answer.
 */
public enum StreamTrust {

    /**
     * {@code token} (the default): every record carries {@code authorization: Bearer <JWT>}, verified
     * as over HTTP; the token's tenant and scopes decide what the record may write.
     */
    TOKEN("token"),

    /**
     * {@code topic-acl}: whoever the broker lets produce to the topic writes any tenant, named by the
     * record's key. Only for brokers whose ACLs admit trusted producers alone.
     */
    TOPIC_ACL("topic-acl");

    private final String setting;

    StreamTrust(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static StreamTrust of(String setting) {
        for (StreamTrust trust : values()) {
            if (trust.setting.equalsIgnoreCase(setting.trim())) {
                return trust;
            }
        }
        throw new IllegalArgumentException("COHERENCE_KAFKA_TRUST must be token or topic-acl, not " + setting);
    }
}
