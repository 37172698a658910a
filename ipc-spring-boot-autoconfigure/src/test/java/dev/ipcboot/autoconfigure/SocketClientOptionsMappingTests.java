package dev.ipcboot.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.autoconfigure.SocketClientProperties.Transport;
import dev.ipcboot.socket.IpcClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ipc.clients.<name>.keep-alive}, {@code tcp-no-delay},
 * {@code receive-buffer-size} and {@code send-buffer-size} reach the client's real TCP
 * connection (read back with getsockopt).
 */
class SocketClientOptionsMappingTests {

	@Test
	void clientPropertiesAreOnTheConnectedSocket() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
			Client client = new Client();
			client.setTransport(Transport.TCP);
			client.setPort(server.getLocalPort());
			client.setKeepAlive(true);
			client.setTcpNoDelay(false);
			client.setReceiveBufferSize(DataSize.ofKilobytes(48));
			client.setSendBufferSize(DataSize.ofKilobytes(80));
			IpcClientSettings settings = SocketClientSettingsMapper.toSettings("c", client, null);
			try (Socket socket = settings.endpoint().connect(Duration.ofSeconds(5));
					Socket accepted = server.accept()) {
				assertThat(socket.getKeepAlive()).isTrue();
				assertThat(socket.getTcpNoDelay()).isFalse();
				// Linux doubles what setsockopt was given; the JDK halves what getsockopt
				// says
				assertThat(socket.getReceiveBufferSize()).isEqualTo(48 * 1024);
				assertThat(socket.getSendBufferSize()).isEqualTo(80 * 1024);
			}
		}
	}

}
