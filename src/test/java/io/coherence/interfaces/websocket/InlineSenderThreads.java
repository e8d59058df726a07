package io.coherence.interfaces.websocket;

/** Sender threads for unit tests: every task runs on the caller's thread; lending is counted. */
final class InlineSenderThreads implements SenderThreads {

    int lent;

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public boolean lend() {
        lent++;
        return true;
    }

    @Override
    public void giveBack() {
        lent--;
    }
}
