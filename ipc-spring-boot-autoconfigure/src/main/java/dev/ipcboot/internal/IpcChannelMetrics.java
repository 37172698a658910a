package dev.ipcboot.internal;

import java.util.function.LongSupplier;

/**
 * Meters of one channel, obtained once from {@link IpcMetrics#channel} and kept by the
 * facility, so that every call is a plain increment. Implementations must never throw.
 */
public interface IpcChannelMetrics {

	/** Records nothing. */
	IpcChannelMetrics NONE = new IpcChannelMetrics() {
	};

	/**
	 * A message (a frame, a signal, an output line) arrived.
	 * @param bytes its size in bytes
	 */
	default void messageReceived(int bytes) {
	}

	/**
	 * A message (a reply, a request) was written.
	 * @param bytes its size in bytes
	 */
	default void messageSent(int bytes) {
	}

	/**
	 * A connection was accepted (or established, for a client).
	 */
	default void connectionOpened() {
	}

	/**
	 * A connection that was counted by {@link #connectionOpened()} closed, for whatever
	 * reason.
	 */
	default void connectionClosed() {
	}

	/**
	 * A connection was refused, or closed because of bad input.
	 * @param reason a short, fixed, lower-case reason such as {@code oversized-frame},
	 * {@code corrupt-frame}, {@code peer-rejected}, {@code max-connections},
	 * {@code refused}, {@code timeout} (never a message text, a peer or an id)
	 */
	default void connectionFailed(String reason) {
	}

	/**
	 * Failures that someone else counts, read when the meter is read: the datagrams the
	 * kernel dropped for a UDP socket whose receive buffer was full, which never reach
	 * the facility. Reported with the failures of {@link #connectionFailed}. Call once
	 * per channel; a second call for the same reason keeps the first source.
	 * @param reason a short, fixed, lower-case reason, other than those passed to
	 * {@link #connectionFailed}
	 * @param count reads the count so far; it never decreases
	 */
	default void connectionFailures(String reason, LongSupplier count) {
	}

}
