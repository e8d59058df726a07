package io.coherence.domain.policy;

/** Decides access. Every entry point asks the same one; engines are interchangeable. */
public interface PolicyDecisionPoint {

    Decision decide(PolicyInput input);
}
