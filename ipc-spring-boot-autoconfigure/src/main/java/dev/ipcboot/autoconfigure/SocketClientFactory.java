package dev.ipcboot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.IpcMetrics;
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

	private final IpcMetrics metrics;

	private final List<SocketIpcClient> created = new CopyOnWriteArrayList<>();

	SocketClientFactory(SocketClientProperties properties, ObjectProvider<SslBundles> sslBundles,
			MessageConverter converter, ApplicationEventPublisher publisher, IpcMetrics metrics) {
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.converter = converter;
		this.publisher = publisher;
		this.metrics = metrics;
	}

	/** The clients created so far, for health and the {@code ipc} endpoint. */
	List<SocketIpcClient> created() {
		return List.copyOf(this.created);
	}

	SocketIpcClient create(String name) {
		Client client = this.properties.getClients().get(name);
		if (client == null) {
			throw NamedBeanRegistrar.entryGone(SocketClientRegistrar.BEAN_NAME_PREFIX, name);
		}
		SocketIpcClient created = new SocketIpcClient(
				SocketClientSettingsMapper.toSettings(name, client, this.sslBundles.getIfAvailable()), this.converter,
				this.publisher, this.metrics);
		this.created.add(created);
		return created;
	}

}
