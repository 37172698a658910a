package dev.ipcboot.socket.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

import dev.ipcboot.socket.Framing;

/**
 * The codec both servers and clients use: what it writes it reads back, and it enforces
 * {@code max-message-size} in both directions.
 */
class FrameCodecTests {

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = "RAW", mode = EnumSource.Mode.EXCLUDE)
	void whatItWritesItReadsBackFrameByFrame(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, 64);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(bytes("first"), out);
		codec.serialize(bytes("second, with a \r inside"), out);
		ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
		assertThat(text(codec.deserialize(in))).isEqualTo("first");
		assertThat(text(codec.deserialize(in))).isEqualTo("second, with a \r inside");
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = "RAW", mode = EnumSource.Mode.EXCLUDE)
	void framesSplitAcrossASmallConnectionBufferAreReadBackWhole(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, 64);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		String[] messages = { "a", "twelve bytes", "longer than the sixteen-byte buffer", "", "bare \n inside",
				"last" };
		for (String message : messages) {
			codec.serialize(bytes(message), out);
		}
		// frames cross the buffer's end, fill it exactly, or do not fit it at all
		ConnectionInputStream in = new ConnectionInputStream(new ByteArrayInputStream(out.toByteArray()), 16);
		for (String message : messages) {
			if (framing == Framing.LINE && message.contains("\n")) {
				assertThat(text(codec.deserialize(in))).isEqualTo("bare ");
				assertThat(text(codec.deserialize(in))).isEqualTo(" inside");
			}
			else {
				assertThat(text(codec.deserialize(in))).isEqualTo(message);
			}
		}
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void messageOverTheMaximumIsRefusedOnWriteAndOnRead(Framing framing) throws IOException {
		FrameCodec small = new FrameCodec(framing, 8);
		assertThatIOException().isThrownBy(() -> small.serialize(bytes("123456789"), new ByteArrayOutputStream()));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new FrameCodec(framing, 64).serialize(bytes("123456789"), out);
		assertThatIOException().isThrownBy(() -> small.deserialize(new ByteArrayInputStream(out.toByteArray())));
		// the same frame buffered whole by a connection
		assertThatIOException().isThrownBy(
				() -> small.deserialize(new ConnectionInputStream(new ByteArrayInputStream(out.toByteArray()), 64)));
		ByteArrayOutputStream exact = new ByteArrayOutputStream();
		small.serialize(bytes("12345678"), exact);
		assertThat(text(small.deserialize(new ByteArrayInputStream(exact.toByteArray())))).isEqualTo("12345678");
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "STX_ETX", "LENGTH_PREFIXED" })
	void streamEndingInsideAFrameIsAnErrorNotAMessage(Framing framing) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		new FrameCodec(framing, 64).serialize(bytes("complete"), out);
		byte[] truncated = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 1);
		assertThatIOException()
			.isThrownBy(() -> new FrameCodec(framing, 64).deserialize(new ByteArrayInputStream(truncated)))
			.isNotInstanceOf(SoftEndOfStreamException.class);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
