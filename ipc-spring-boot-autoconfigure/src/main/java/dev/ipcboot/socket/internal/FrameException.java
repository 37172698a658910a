package dev.ipcboot.socket.internal;

import java.io.IOException;

/**
 * Why the bytes of one connection cannot be read as frames, or a deadline it missed; the
 * connection is closed and {@link #reason()} is the metric's reason tag. Read errors are
 * classified by this type, never by their message text.
 */
final class FrameException extends IOException {

	private final String reason;

	private FrameException(String reason, String message) {
		super(message);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

	static FrameException oversized(String message) {
		return new FrameException("oversized-frame", message);
	}

	static FrameException corrupt(String message) {
		return new FrameException("corrupt-frame", message);
	}

	static FrameException incomplete(int bytes) {
		return new FrameException("corrupt-frame", "Stream closed after " + bytes + " bytes of an incomplete frame");
	}

	static FrameException frameTimeout(String message) {
		return new FrameException("frame-timeout", message);
	}

	static FrameException idleTimeout(String message) {
		return new FrameException("idle-timeout", message);
	}

	/**
	 * No stack trace: the reason and the message say all, and a flood of bad input must
	 * not cost a stack walk per frame.
	 */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
