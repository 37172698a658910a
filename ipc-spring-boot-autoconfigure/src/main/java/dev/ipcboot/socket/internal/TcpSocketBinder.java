package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.netty.channel.Channel;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.socket.ServerBinding;
import dev.ipcboot.socket.SocketServerSettings;

/**
 * Binds a TCP server channel of the engine; an address that cannot be listened on fails
 * with the property to change.
 */
final class TcpSocketBinder {

	private TcpSocketBinder() {
	}

	static BoundServerSocket bind(SocketServerSettings settings, ServerBinding.Tcp tcp,
			LocalSocketBinder.Binding binding) {
		Channel channel;
		try {
			channel = binding.bind(new InetSocketAddress(tcp.host(), tcp.port()));
		}
		catch (IOException ex) {
			throw new IpcConfigurationException(settings.property() + ".port",
					"cannot listen on " + tcp.host() + ":" + tcp.port() + " (" + ex.getMessage() + ")",
					"Stop the process that uses the port, choose another port, or use 0 for an ephemeral one.");
		}
		int port = ((InetSocketAddress) channel.localAddress()).getPort();
		return new BoundServerSocket(channel, tcp.host() + ":" + port, port, () -> {
		});
	}

}
