package dev.ipcboot.process;

import java.util.Arrays;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Cuts the bytes a pump reads into messages of one {@link OutputFraming}, incrementally,
 * holding at most one message of {@code maxLength} bytes. The socket package has its own
 * stream framings for blocking reads; these work on the chunks a pipe delivers.
 */
abstract class OutputFrames {

	private static final Log logger = LogFactory.getLog(OutputFrames.class);

	private final Consumer<byte[]> deliver;

	final int maxLength;

	byte[] pending = new byte[0];

	int pendingLength;

	OutputFrames(int maxLength, Consumer<byte[]> deliver) {
		this.maxLength = maxLength;
		this.deliver = deliver;
	}

	static OutputFrames of(OutputFraming framing, int maxLength, String source, Consumer<byte[]> deliver) {
		return switch (framing) {
			case LINE -> new Delimited(maxLength, deliver, (byte) '\n', false);
			case CRLF -> new Delimited(maxLength, deliver, (byte) '\n', true);
			case STX_ETX -> new StxEtx(maxLength, deliver);
			case LENGTH_PREFIXED -> new LengthPrefixed(maxLength, deliver, source);
			case RAW -> new Raw(maxLength, deliver);
		};
	}

	/** Cut what was read; the buffer is reused by the caller after this returns. */
	abstract void cut(byte[] buffer, int length);

	/** The stream ended: deliver what is left, if it forms a message. */
	void finish() {
		if (this.pendingLength > 0) {
			end();
		}
	}

	final void deliver(byte[] message) {
		this.deliver.accept(message);
	}

	final void append(byte[] bytes, int offset, int length) {
		int from = offset;
		int remaining = length;
		while (remaining > 0) {
			if (this.pendingLength == this.maxLength) {
				end();
			}
			if (this.pending.length == 0) {
				this.pending = new byte[this.maxLength];
			}
			int take = Math.min(remaining, this.maxLength - this.pendingLength);
			System.arraycopy(bytes, from, this.pending, this.pendingLength, take);
			this.pendingLength += take;
			from += take;
			remaining -= take;
		}
	}

	void end() {
		deliver(Arrays.copyOf(this.pending, this.pendingLength));
		this.pendingLength = 0;
	}

	/** Lines: a message ends at the delimiter; a longer one is delivered in pieces. */
	private static final class Delimited extends OutputFrames {

		private final byte delimiter;

		private final boolean stripCarriageReturn;

		Delimited(int maxLength, Consumer<byte[]> deliver, byte delimiter, boolean stripCarriageReturn) {
			super(maxLength, deliver);
			this.delimiter = delimiter;
			this.stripCarriageReturn = stripCarriageReturn;
		}

		@Override
		void cut(byte[] buffer, int length) {
			int start = 0;
			for (int i = 0; i < length; i++) {
				if (buffer[i] == this.delimiter) {
					int lineLength = i - start;
					if (this.pendingLength == 0 && lineLength <= this.maxLength) {
						deliver(line(buffer, start, i));
					}
					else {
						append(buffer, start, lineLength);
						endLine();
					}
					start = i + 1;
				}
			}
			append(buffer, start, length - start);
		}

		private byte[] line(byte[] buffer, int from, int to) {
			int end = (this.stripCarriageReturn && to > from && buffer[to - 1] == '\r') ? to - 1 : to;
			return Arrays.copyOfRange(buffer, from, end);
		}

		private void endLine() {
			deliver(line(this.pending, 0, this.pendingLength));
			this.pendingLength = 0;
		}

	}

	/** STX/ETX: bytes outside a frame are skipped; a longer frame comes in pieces. */
	private static final class StxEtx extends OutputFrames {

		private boolean inFrame;

		StxEtx(int maxLength, Consumer<byte[]> deliver) {
			super(maxLength, deliver);
		}

		@Override
		void cut(byte[] buffer, int length) {
			int start = 0;
			for (int i = 0; i < length; i++) {
				if (!this.inFrame) {
					if (buffer[i] == 0x02) {
						this.inFrame = true;
						start = i + 1;
					}
				}
				else if (buffer[i] == 0x03) {
					append(buffer, start, i - start);
					end();
					this.inFrame = false;
				}
			}
			if (this.inFrame) {
				append(buffer, start, length - start);
			}
		}

		@Override
		void finish() {
			// an unterminated frame is incomplete: dropped, as the socket framing drops
			// it
			this.pendingLength = 0;
		}

	}

	/** 4-byte big-endian length, then the message; an oversized one is skipped. */
	private static final class LengthPrefixed extends OutputFrames {

		private final String source;

		private final byte[] header = new byte[4];

		private int headerLength;

		private long remaining = -1;

		private boolean skipping;

		LengthPrefixed(int maxLength, Consumer<byte[]> deliver, String source) {
			super(maxLength, deliver);
			this.source = source;
		}

		@Override
		void cut(byte[] buffer, int length) {
			int i = 0;
			while (i < length) {
				if (this.remaining < 0) {
					this.header[this.headerLength++] = buffer[i++];
					if (this.headerLength == 4) {
						this.headerLength = 0;
						begin(Integer.toUnsignedLong((this.header[0] & 0xff) << 24 | (this.header[1] & 0xff) << 16
								| (this.header[2] & 0xff) << 8 | (this.header[3] & 0xff)));
					}
					continue;
				}
				int take = (int) Math.min(this.remaining, length - i);
				if (!this.skipping) {
					append(buffer, i, take);
				}
				i += take;
				this.remaining -= take;
				if (this.remaining == 0) {
					complete();
				}
			}
		}

		private void begin(long frameLength) {
			this.remaining = frameLength;
			this.skipping = frameLength > this.maxLength;
			if (this.skipping) {
				logger.warn(this.source + " announced a length-prefixed message of " + frameLength
						+ " bytes, more than max-line-length " + this.maxLength + "; skipping it (raise"
						+ " max-line-length to receive it)");
			}
			if (frameLength == 0) {
				complete();
			}
		}

		private void complete() {
			if (!this.skipping) {
				end();
			}
			this.remaining = -1;
			this.skipping = false;
		}

		@Override
		void finish() {
			// a message cut off by the end of the stream is incomplete
			this.pendingLength = 0;
		}

	}

	/** Each read is a message. */
	private static final class Raw extends OutputFrames {

		Raw(int maxLength, Consumer<byte[]> deliver) {
			super(maxLength, deliver);
		}

		@Override
		void cut(byte[] buffer, int length) {
			deliver(Arrays.copyOf(buffer, length));
		}

	}

}
