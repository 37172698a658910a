package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.ipcboot.socket.Framing;

/**
 * Writes and reads the frames of one {@link Framing}, in the same formats as Spring
 * Integration's serializers (whose interface it implements, for the connection factories)
 * but without their per-frame allocations: its deserializers allocate a
 * {@code max-message-size} array per message unless pooled (and a pooled buffer stays
 * checked out while a connection waits for its next frame), and its length-header
 * serializer a header array and buffer for every frame. Here a delimited frame is read
 * into a buffer that grows with it, or copied once out of the connection's buffer, and
 * the payload array is the only allocation a frame costs.
 * <p>
 * A frame over the maximum, a length header over the maximum (it is unsigned), or a
 * stream that ends inside a frame fails with an {@link IOException}; a stream that ends
 * between frames fails with {@link SoftEndOfStreamException}, which connections treat as
 * a normal close.
 */
public final class FrameCodec extends AbstractByteArraySerializer {

	private static final int INITIAL_BUFFER = 256;

	private static final int STX = 0x02;

	private static final int ETX = 0x03;

	private final Framing framing;

	public FrameCodec(Framing framing, int maxMessageSize) {
		if (maxMessageSize <= 0) {
			throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
		}
		this.framing = framing;
		setMaxMessageSize(maxMessageSize);
	}

	/**
	 * The framing this codec implements.
	 * @return the framing
	 */
	public Framing framing() {
		return this.framing;
	}

	/**
	 * Write one frame. The caller flushes; the stream should be buffered (the length
	 * header goes a byte at a time).
	 * @param payload the message
	 * @param out the stream
	 * @throws IOException if the message is longer than the maximum or the write fails
	 */
	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		if (payload.length > getMaxMessageSize()) {
			throw new OversizedMessageException("Message of " + payload.length + " bytes exceeds max-message-size of "
					+ getMaxMessageSize() + " bytes");
		}
		switch (this.framing) {
			case LENGTH_PREFIXED -> {
				out.write(payload.length >>> 24);
				out.write(payload.length >>> 16);
				out.write(payload.length >>> 8);
				out.write(payload.length);
				out.write(payload);
			}
			case LINE -> {
				out.write(payload);
				out.write('\n');
			}
			case CRLF -> {
				out.write(payload);
				out.write('\r');
				out.write('\n');
			}
			case STX_ETX -> {
				out.write(STX);
				out.write(payload);
				out.write(ETX);
			}
			case RAW -> out.write(payload);
		}
	}

	/**
	 * Read one frame, blocking until it is complete.
	 * @param in the stream, ideally buffered (delimited framings read a byte at a time)
	 * @return the message without its framing
	 * @throws SoftEndOfStreamException if the stream ends between frames
	 * @throws IOException if the frame is too long, malformed, or the stream ends inside
	 * it
	 */
	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		return switch (this.framing) {
			case LENGTH_PREFIXED -> readLengthPrefixed(in);
			case LINE -> readDelimited(in, '\n', false);
			case CRLF -> readDelimited(in, '\n', true);
			case STX_ETX -> readStxEtx(in);
			case RAW -> readDelimited(in, -1, false);
		};
	}

	private byte[] readLengthPrefixed(InputStream in) throws IOException {
		int length = readLengthHeader(in);
		byte[] payload = new byte[length];
		int read = in.readNBytes(payload, 0, payload.length);
		if (read < payload.length) {
			throw incompleteFrame(read, length);
		}
		return payload;
	}

	/**
	 * Read the 4-byte header of a length-prefixed frame.
	 * @param in the stream
	 * @return the length of the payload that follows, at most {@code max-message-size}
	 * @throws SoftEndOfStreamException if the stream ends before the header
	 * @throws IOException if it ends inside the header or the length is over the maximum
	 */
	int readLengthHeader(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw endBetweenFrames();
		}
		int second = in.read();
		int third = in.read();
		int fourth = in.read();
		if ((second | third | fourth) < 0) {
			throw endInsideLengthHeader();
		}
		return checkLength(((long) first << 24) | (second << 16) | (third << 8) | fourth);
	}

	/**
	 * Check the length a frame's header announced.
	 * @param length the header as an unsigned number, as Qt writes it: a "negative"
	 * length is simply too long
	 * @return the length
	 * @throws IOException if it is over {@code max-message-size}
	 */
	int checkLength(long length) throws IOException {
		int max = getMaxMessageSize();
		if (length > max) {
			throw new IOException(
					"Length header of " + length + " bytes exceeds max-message-size of " + max + " bytes");
		}
		return (int) length;
	}

	/**
	 * The error for a stream that ended where a frame could start: a normal close.
	 * @return the exception to throw
	 */
	static SoftEndOfStreamException endBetweenFrames() {
		return new SoftEndOfStreamException("Stream closed between payloads");
	}

	/**
	 * The error for a stream that ended inside the length header of a frame.
	 * @return the exception to throw
	 */
	static IOException endInsideLengthHeader() {
		return new IOException("Stream closed inside the 4-byte length header of a frame");
	}

	/**
	 * The error for a stream that ended inside the payload of a length-prefixed frame.
	 * @param read how many bytes of the payload arrived
	 * @param length how many the header announced
	 * @return the exception to throw
	 */
	static IOException incompleteFrame(int read, int length) {
		return new IOException(
				"Stream closed after " + read + " of the " + length + " bytes of a length-prefixed frame");
	}

	private byte[] readStxEtx(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw endBetweenFrames();
		}
		if (first != STX) {
			throw new IOException(
					"Expected STX (0x02) at the start of a frame but got 0x" + Integer.toHexString(first));
		}
		return readUntil(in, ETX, false, true);
	}

	/**
	 * The frame, copied once out of the connection's buffer when it fits there whole: a
	 * connection's steady state allocates nothing else. Otherwise {@code null} with
	 * nothing consumed, and the byte-at-a-time path reads it (and reports what is wrong
	 * with it).
	 */
	private byte @Nullable [] takeBuffered(ConnectionInputStream in, int terminator, boolean crlf) throws IOException {
		// the frame, its delimiter and CRLF's carriage return
		int end = in.indexOf(terminator, (int) Math.min(Integer.MAX_VALUE, getMaxMessageSize() + 2L));
		if (end < 0) {
			return null;
		}
		int length = end;
		if (crlf) {
			if (end == 0 || in.peek(end - 1) != '\r') {
				// a bare line feed belongs to the message
				return null;
			}
			length = end - 1;
		}
		if (length > getMaxMessageSize()) {
			return null;
		}
		return in.take(length, end + 1 - length);
	}

	private byte[] readDelimited(InputStream in, int terminator, boolean crlf) throws IOException {
		return readUntil(in, terminator, crlf, false);
	}

	private byte[] readUntil(InputStream in, int terminator, boolean crlf, boolean started) throws IOException {
		if (terminator >= 0 && in instanceof ConnectionInputStream buffered) {
			byte[] frame = takeBuffered(buffered, terminator, crlf);
			if (frame != null) {
				return frame;
			}
		}
		int max = getMaxMessageSize();
		byte[] buffer = new byte[Math.min(INITIAL_BUFFER, max + 1)];
		int length = 0;
		while (true) {
			int bite = in.read();
			if (bite < 0) {
				if (terminator < 0 && length > 0) {
					return Arrays.copyOf(buffer, length);
				}
				if (length == 0 && !started) {
					throw endBetweenFrames();
				}
				throw new IOException("Stream closed after " + length + " bytes of an incomplete frame");
			}
			if (bite == terminator) {
				if (!crlf) {
					return Arrays.copyOf(buffer, length);
				}
				if (length > 0 && buffer[length - 1] == '\r') {
					return Arrays.copyOf(buffer, length - 1);
				}
			}
			// one byte of slack so that CRLF's '\r' may sit at the limit
			if (length >= max + (crlf ? 1 : 0)) {
				throw new IOException("Frame exceeds max-message-size of " + max + " bytes");
			}
			if (length == buffer.length) {
				buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, max + 1L));
			}
			buffer[length++] = (byte) bite;
		}
	}

	/**
	 * A message refused before any of it was written, because it is longer than the
	 * maximum: sending it again cannot succeed.
	 */
	static final class OversizedMessageException extends IOException {

		OversizedMessageException(String message) {
			super(message);
		}

	}

}
