package dev.ipcboot.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;

import dev.ipcboot.autoconfigure.SocketClientProperties.Client;
import dev.ipcboot.internal.IpcMetrics;
import dev.ipcboot.socket.IpcClientSettings;
import dev.ipcboot.socket.internal.SocketEngine;
import dev.ipcboot.socket.internal.SocketIpcClient;

/**
 * Creates the client bean of one {@code ipc.clients} entry; the registrar's bean
 * definitions call it.
 */
final class SocketClientFactory {

	private static final boolean NETTY_PRESENT = org.springframework.util.ClassUtils
		.isPresent("io.netty.bootstrap.Bootstrap", SocketClientFactory.class.getClassLoader());

	private final SocketClientProperties properties;

	private final ObjectProvider<SslBundles> sslBundles;

	private final MessageConverter converter;

	private final ApplicationEventPublisher publisher;

	private final IpcMetrics metrics;

	private final @Nullable ConfigurableListableBeanFactory beanFactory;

	private final ObjectProvider<IpcClientCustomizer> customizers;

	private final List<SocketIpcClient> created = new CopyOnWriteArrayList<>();

	/**
	 * A factory whose subscribing clients run on the application's {@link SocketEngine},
	 * when Netty is on the class path and the engine bean exists, and whose clients'
	 * settings pass through the {@link IpcClientCustomizer} beans.
	 */
	SocketClientFactory(SocketClientProperties properties, ObjectProvider<SslBundles> sslBundles,
			MessageConverter converter, ApplicationEventPublisher publisher, IpcMetrics metrics,
			@Nullable ConfigurableListableBeanFactory beanFactory, ObjectProvider<IpcClientCustomizer> customizers) {
		this.properties = properties;
		this.sslBundles = sslBundles;
		this.converter = converter;
		this.publisher = publisher;
		this.metrics = metrics;
		this.beanFactory = beanFactory;
		this.customizers = customizers;
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
		SocketEngine engine = client.isSubscribe() ? engine(name) : null;
		IpcClientSettings settings = SocketClientSettingsMapper.toSettings(name, client,
				this.sslBundles.getIfAvailable());
		settings = SettingsCustomizers.apply(SocketClientRegistrar.BEAN_NAME_PREFIX + name, settings.toBuilder(),
				this.customizers, IpcClientCustomizer::customize, IpcClientSettings.Builder::build);
		SocketIpcClient created = new SocketIpcClient(settings, this.converter, this.publisher, this.metrics, engine);
		this.created.add(created);
		return created;
	}

	/**
	 * The engine a subscribing client's connection runs on, registered as a bean the
	 * client depends on (so the engine is closed after the client), or {@code null}
	 * without Netty: the subscription then has a reader thread of its own.
	 */
	private @Nullable SocketEngine engine(String name) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory == null || !NETTY_PRESENT) {
			return null;
		}
		String[] names = factory.getBeanNamesForType(SocketEngine.class, false, false);
		if (names.length != 1) {
			return null;
		}
		SocketEngine engine = factory.getBean(names[0], SocketEngine.class);
		factory.registerDependentBean(names[0], SocketClientRegistrar.BEAN_NAME_PREFIX + name);
		return engine;
	}

}
