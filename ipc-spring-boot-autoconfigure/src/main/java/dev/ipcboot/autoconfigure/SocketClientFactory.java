package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.socket.SocketIpcClient;

/**
 * Creates the client bean of one {@code ipc.clients} entry; the registrar's bean
 * definitions call it.
 */
final class SocketClientFactory {

	private final SocketClientProperties properties;

	private final ObjectProvider<SslBundles> sslBundles;

	private final MessageConverter converter;

	private final ApplicationEventPublisher publisher;

	SocketClientFactory(SocketClientProperties properties, ObjectProvider<SslBundles> sslBundles,
			MessageConverter converter, ApplicationEventPublisher publisher) {
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.converter = converter;
		this.publisher = publisher;
	}

	SocketIpcClient create(String name) {
		Client client = this.properties.getClients().get(name);
		if (client == null) {
			throw new IllegalStateException("No ipc.clients." + name + " entry");
		}
		return new SocketIpcClient(
				SocketClientSettingsMapper.toSettings(name, client, this.sslBundles.getIfAvailable()), this.converter,
				this.publisher);
	}

}
