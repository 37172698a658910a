package dev.ipcboot.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayCrLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLengthHeaderSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayRawSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayStxEtxSerializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Writes and reads the frames of one {@link Framing}. Writing (and length-prefixed
 * reading) delegates to Spring Integration's serializers. Delimited framings are read
 * here instead, into a buffer that grows with the frame, because Spring Integration's
 * pooled-buffer deserializers allocate a {@code max-message-size} array per message
 * unless pooled, and a pooled buffer stays checked out while a connection waits for its
 * next frame.
 * <p>
 * A frame over the maximum, a length header that is negative or over the maximum, or a
 * stream that ends inside a frame fails with an {@link IOException}; a stream that ends
 * between frames fails with {@link SoftEndOfStreamException}, which connections treat as
 * a normal close.
 */
public final class FrameCodec extends AbstractByteArraySerializer {

	private static final int INITIAL_BUFFER = 256;

	private static final int STX = 0x02;

	private static final int ETX = 0x03;

	private final Framing framing;

	private final AbstractByteArraySerializer writer;

	FrameCodec(Framing framing, int maxMessageSize) {
		if (maxMessageSize <= 0) {
			throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
		}
		this.framing = framing;
		this.writer = switch (framing) {
			case LINE -> new ByteArrayLfSerializer();
			case CRLF -> new ByteArrayCrLfSerializer();
			case LENGTH_PREFIXED -> new ByteArrayLengthHeaderSerializer();
			case STX_ETX -> new ByteArrayStxEtxSerializer();
			case RAW -> new ByteArrayRawSerializer();
		};
		this.writer.setMaxMessageSize(maxMessageSize);
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
	 * Write one frame. The caller flushes.
	 * @param payload the message
	 * @param out the stream
	 * @throws IOException if the message is longer than the maximum or the write fails
	 */
	@Override
	public void serialize(byte[] payload, OutputStream out) throws IOException {
		if (payload.length > getMaxMessageSize()) {
			throw new IOException("Message of " + payload.length + " bytes exceeds max-message-size of "
					+ getMaxMessageSize() + " bytes");
		}
		this.writer.serialize(payload, out);
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
			case LENGTH_PREFIXED -> this.writer.deserialize(in);
			case LINE -> readDelimited(in, '\n', false);
			case CRLF -> readDelimited(in, '\n', true);
			case STX_ETX -> readStxEtx(in);
			case RAW -> readDelimited(in, -1, false);
		};
	}

	private byte[] readStxEtx(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between payloads");
		}
		if (first != STX) {
			throw new IOException(
					"Expected STX (0x02) at the start of a frame but got 0x" + Integer.toHexString(first));
		}
		return readUntil(in, ETX, false, true);
	}

	private byte[] readDelimited(InputStream in, int terminator, boolean crlf) throws IOException {
		return readUntil(in, terminator, crlf, false);
	}

	private byte[] readUntil(InputStream in, int terminator, boolean crlf, boolean started) throws IOException {
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
					throw new SoftEndOfStreamException("Stream closed between payloads");
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

}
