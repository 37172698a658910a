package dev.ipcboot.listener;

/**
 * Where the outcome of one listener invocation goes; a socket connection writes the reply
 * with its framing, channels without replies only log. Implementations are called at most
 * once per message, possibly from another thread when the listener replied
 * asynchronously.
 */
public interface IpcReplyTarget {

	/**
	 * Send a reply.
	 * @param payload the reply, already converted to bytes
	 */
	void reply(byte[] payload);

	/**
	 * The listener failed and no error handler produced a reply. Sockets close the
	 * connection so that the peer sees end-of-stream at once.
	 * @param error the failure
	 */
	void fail(Throwable error);

	/**
	 * The listener returned a {@code CompletionStage}: its outcome ({@link #reply},
	 * {@link #fail}, or none when it completes with {@code null}) comes later, from
	 * whichever thread completes it. A channel that drains on shutdown counts the message
	 * as in flight until the returned callback runs, which the caller does exactly once,
	 * after the outcome was delivered. Called before {@code onMessage} returns. By
	 * default nothing is counted.
	 * @return what to run once the outcome was delivered
	 */
	default Runnable defer() {
		return () -> {
		};
	}

	/**
	 * Describe the peer for logs ("pid 123 uid 1000", "127.0.0.1:5555").
	 * @return a description
	 */
	String describePeer();

}
