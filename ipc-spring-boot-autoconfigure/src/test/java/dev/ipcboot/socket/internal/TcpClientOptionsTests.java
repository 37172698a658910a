package dev.ipcboot.socket.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipcboot.socket.ClientEndpoint;
import dev.ipcboot.socket.SocketOptions;

/**
 * A TCP client's {@code keep-alive}, {@code tcp-no-delay}, {@code receive-buffer-size}
 * and {@code send-buffer-size} are on its real connection (read back with getsockopt),
 * and without them Nagle is off and keep-alive off, as before.
 */
class TcpClientOptionsTests {

	@Test
	void configuredOptionsAreOnTheConnectedSocket() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
			TcpClientEndpoint endpoint = new TcpClientEndpoint("127.0.0.1", server.getLocalPort(), null,
					new SocketOptions(true, false, 48 * 1024, 80 * 1024, SocketOptions.DEFAULT_BACKLOG));
			try (Socket socket = endpoint.connect(Duration.ofSeconds(5)); Socket accepted = server.accept()) {
				assertThat(socket.isConnected()).isTrue();
				assertThat(socket.getKeepAlive()).isTrue();
				assertThat(socket.getTcpNoDelay()).isFalse();
				// Linux doubles what setsockopt was given; the JDK halves what getsockopt
				// says
				assertThat(socket.getReceiveBufferSize()).isEqualTo(48 * 1024);
				assertThat(socket.getSendBufferSize()).isEqualTo(80 * 1024);
			}
		}
	}

	@Test
	void withoutOptionsNagleIsOffAndKeepAliveOff() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
			ClientEndpoint endpoint = ClientEndpoint.tcp("127.0.0.1", server.getLocalPort(), null);
			try (Socket socket = endpoint.connect(Duration.ofSeconds(5)); Socket accepted = server.accept()) {
				assertThat(socket.getKeepAlive()).isFalse();
				assertThat(socket.getTcpNoDelay()).isTrue();
			}
		}
	}

}
