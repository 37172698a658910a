package dev.ipcboot.socket;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.AbstractPooledBufferByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayCrLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLengthHeaderSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayRawSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayStxEtxSerializer;

/**
 * The framings a client can speak, each mapped onto a Spring Integration serializer. A
 * stand-in for the servers' {@code Framing} until both live on one branch: the names and
 * the serializers are the same, so replacing this class touches only
 * {@link #serializer(int, int)} callers.
 */
enum ClientFraming {

	/** Frames end with {@code \n}. */
	LINE("line"),

	/** Frames end with {@code \r\n}. */
	CRLF("crlf"),

	/**
	 * A 4-byte big-endian length, then the bytes (Qt's
	 * {@code QDataStream << QByteArray}).
	 */
	LENGTH_PREFIXED("length-prefixed"),

	/** {@code STX}, the bytes, {@code ETX}. */
	STX_ETX("stx-etx"),

	/** One message per connection: the bytes up to end-of-stream. */
	RAW("raw");

	private final String value;

	ClientFraming(String value) {
		this.value = value;
	}

	String value() {
		return this.value;
	}

	/**
	 * Whether a connection carries exactly one message each way: the request ends by
	 * half-closing the output, the reply by end-of-stream.
	 */
	boolean isSingleUse() {
		return this == RAW;
	}

	/**
	 * A serializer that writes and reads frames of at most {@code maxMessageSize} bytes.
	 * Buffers of the terminator-based framings are pooled ({@code poolSize} of them, the
	 * most connections that read at once) so that a reply does not allocate the whole
	 * maximum size.
	 */
	AbstractByteArraySerializer serializer(int maxMessageSize, int poolSize) {
		AbstractByteArraySerializer serializer = switch (this) {
			case LINE -> new ByteArrayLfSerializer();
			case CRLF -> new ByteArrayCrLfSerializer();
			case LENGTH_PREFIXED ->
				new ByteArrayLengthHeaderSerializer(ByteArrayLengthHeaderSerializer.HEADER_SIZE_INT);
			case STX_ETX -> new ByteArrayStxEtxSerializer();
			case RAW -> new ByteArrayRawSerializer();
		};
		serializer.setMaxMessageSize(maxMessageSize);
		if (serializer instanceof AbstractPooledBufferByteArraySerializer pooled) {
			pooled.setPoolSize(poolSize);
		}
		return serializer;
	}

	static @Nullable ClientFraming forValue(String value) {
		for (ClientFraming framing : values()) {
			if (framing.value.equals(value)) {
				return framing;
			}
		}
		return null;
	}

	static List<String> names() {
		return Arrays.stream(values()).map(ClientFraming::value).collect(Collectors.toList());
	}

}
