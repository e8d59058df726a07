package io.coherence.domain.policy;

/** A policy decision and the rule that made it, for logs and audits. */
public record Decision(boolean allowed, String rule) {

    public static Decision allow(String rule) {
        return new Decision(true, rule);
    }

    public static Decision deny(String rule) {
        return new Decision(false, rule);
    }
}
