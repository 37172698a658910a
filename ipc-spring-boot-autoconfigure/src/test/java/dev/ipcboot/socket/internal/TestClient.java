package dev.ipcboot.socket.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.ipcboot.socket.Framing;

/**
 * A plain blocking client for tests that frames by hand (not with {@link FrameCodec}), so
 * the tests check the wire format rather than the codec against itself.
 */
final class TestClient implements Closeable {

	private final Socket socket;

	private final Framing framing;

	private final OutputStream out;

	private final InputStream in;

	private TestClient(Socket socket, Framing framing) throws IOException {
		this.socket = socket;
		this.framing = framing;
		socket.setSoTimeout(10_000);
		this.out = socket.getOutputStream();
		this.in = socket.getInputStream();
	}

	static TestClient local(Path path, Framing framing) throws IOException {
		return new TestClient(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)), framing);
	}

	static TestClient tcp(int port, Framing framing) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setTcpNoDelay(true);
		return new TestClient(socket, framing);
	}

	Socket socket() {
		return this.socket;
	}

	static byte[] encode(Framing framing, byte[] payload) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		switch (framing) {
			case LINE -> {
				frame.writeBytes(payload);
				frame.write('\n');
			}
			case CRLF -> {
				frame.writeBytes(payload);
				frame.writeBytes(new byte[] { '\r', '\n' });
			}
			case LENGTH_PREFIXED -> {
				frame.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
				frame.writeBytes(payload);
			}
			case STX_ETX -> {
				frame.write(0x02);
				frame.writeBytes(payload);
				frame.write(0x03);
			}
			case RAW -> frame.writeBytes(payload);
		}
		return frame.toByteArray();
	}

	void writeRaw(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	void send(String payload) throws IOException {
		writeRaw(encode(this.framing, payload.getBytes(StandardCharsets.UTF_8)));
		if (this.framing == Framing.RAW) {
			this.socket.shutdownOutput();
		}
	}

	String request(String payload) throws IOException {
		send(payload);
		return receive();
	}

	String receive() throws IOException {
		return new String(receiveBytes(), StandardCharsets.UTF_8);
	}

	byte[] receiveBytes() throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		switch (this.framing) {
			case LINE, CRLF -> {
				int b;
				while ((b = readByte()) != '\n') {
					frame.write(b);
				}
				byte[] bytes = frame.toByteArray();
				return (this.framing == Framing.CRLF) ? java.util.Arrays.copyOf(bytes, bytes.length - 1) : bytes;
			}
			case LENGTH_PREFIXED -> {
				DataInputStream data = new DataInputStream(this.in);
				byte[] bytes = new byte[data.readInt()];
				data.readFully(bytes);
				return bytes;
			}
			case STX_ETX -> {
				if (readByte() != 0x02) {
					throw new IOException("no STX");
				}
				int b;
				while ((b = readByte()) != 0x03) {
					frame.write(b);
				}
				return frame.toByteArray();
			}
			default -> {
				return this.in.readAllBytes();
			}
		}
	}

	private int readByte() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new EOFException("end of stream");
		}
		return b;
	}

	/**
	 * Read until end of stream, for tests that expect the server to close.
	 * @return -1 at end of stream, or the first byte read
	 */
	int readToEnd() throws IOException {
		try {
			return this.in.read();
		}
		catch (java.net.SocketException ex) {
			// a reset is also the server closing the connection
			return -1;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
