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
	 * Describe the peer for logs ("pid 123 uid 1000", "127.0.0.1:5555").
	 * @return a description
	 */
	String describePeer();

}
