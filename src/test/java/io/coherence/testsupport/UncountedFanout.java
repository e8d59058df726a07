package io.coherence.testsupport;

import io.coherence.application.events.FanoutCounts;

/** Fan-out counts that count nothing: for tests of a dispatcher whose drops they do not look at. */
public final class UncountedFanout implements FanoutCounts {

    public static final FanoutCounts INSTANCE = new UncountedFanout();

    private UncountedFanout() {
    }

    @Override
    public void dropped(String reason, long count) {
    }

    @Override
    public void outOfOrder(long gaps, long late) {
    }
}
