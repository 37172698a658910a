package dev.ipcboot.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.IpcMetrics;

/**
 * Holds every {@link IpcListenerEndpoint} and every {@link IpcChannel}; once all
 * singletons exist it checks that channel names are unique and that each listener names a
 * known channel, then attaches an adapter per (listener, channel) pair. Channels start
 * later, in their facility's lifecycle, so no message arrives before its listener is
 * attached.
 */
public class IpcListenerEndpointRegistry implements SmartInitializingSingleton {

	private final List<IpcListenerEndpoint> endpoints = Collections.synchronizedList(new ArrayList<>());

	private final ObjectProvider<IpcChannelSource> channelSources;

	private final MessageConverter messageConverter;

	private final ObjectProvider<IpcErrorHandler> errorHandler;

	private final ApplicationEventPublisher publisher;

	private final @Nullable ObjectProvider<IpcMetrics> metrics;

	private volatile Map<String, IpcChannel> channels = Map.of();

	/**
	 * Create a registry.
	 * @param channelSources the facilities' channel sources
	 * @param messageConverter converts payloads and replies
	 * @param errorHandler the application's error handler, if any
	 * @param publisher publishes listener failure events
	 */
	public IpcListenerEndpointRegistry(ObjectProvider<IpcChannelSource> channelSources,
			MessageConverter messageConverter, ObjectProvider<IpcErrorHandler> errorHandler,
			ApplicationEventPublisher publisher) {
		this(channelSources, messageConverter, errorHandler, publisher, null);
	}

	/**
	 * Create a registry that times listener invocations.
	 * @param channelSources the facilities' channel sources
	 * @param messageConverter converts payloads and replies
	 * @param errorHandler the application's error handler, if any
	 * @param publisher publishes listener failure events
	 * @param metrics the metrics facade, resolved when listeners are attached; none (or
	 * {@code null}) records nothing
	 */
	public IpcListenerEndpointRegistry(ObjectProvider<IpcChannelSource> channelSources,
			MessageConverter messageConverter, ObjectProvider<IpcErrorHandler> errorHandler,
			ApplicationEventPublisher publisher, @Nullable ObjectProvider<IpcMetrics> metrics) {
		this.channelSources = channelSources;
		this.messageConverter = messageConverter;
		this.errorHandler = errorHandler;
		this.publisher = publisher;
		this.metrics = metrics;
	}

	/**
	 * Register an endpoint; called by the annotation post-processor.
	 * @param endpoint the endpoint
	 */
	public void register(IpcListenerEndpoint endpoint) {
		this.endpoints.add(endpoint);
	}

	/**
	 * The registered endpoints.
	 * @return an immutable copy
	 */
	public List<IpcListenerEndpoint> getEndpoints() {
		synchronized (this.endpoints) {
			return List.copyOf(this.endpoints);
		}
	}

	/**
	 * Every channel of every facility, by name, sorted.
	 * @return the channels
	 */
	public Map<String, IpcChannel> getChannels() {
		return this.channels;
	}

	/**
	 * Find a channel by name.
	 * @param name the channel name
	 * @return the channel, or {@code null}
	 */
	public @Nullable IpcChannel getChannel(String name) {
		return this.channels.get(name);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, IpcChannel> byName = collectChannels();
		this.channels = Collections.unmodifiableMap(byName);
		IpcErrorHandler handler = this.errorHandler.getIfAvailable();
		IpcMetrics metrics = (this.metrics != null) ? this.metrics.getIfAvailable(() -> IpcMetrics.NONE)
				: IpcMetrics.NONE;
		for (IpcListenerEndpoint endpoint : getEndpoints()) {
			for (String channelName : endpoint.channels()) {
				IpcChannel channel = byName.get(channelName);
				if (channel == null) {
					throw unknownChannel(endpoint, channelName, byName);
				}
				channel.addListener(createAdapter(endpoint, channel, handler, metrics));
			}
		}
	}

	private Map<String, IpcChannel> collectChannels() {
		Map<String, IpcChannel> byName = new TreeMap<>();
		this.channelSources.orderedStream().forEach((source) -> {
			for (IpcChannel channel : source.channels()) {
				IpcChannel existing = byName.putIfAbsent(channel.name(), channel);
				if (existing != null && existing != channel) {
					throw new IpcConfigurationException(channel.property(),
							"channel name '" + channel.name() + "' is also used by " + existing.property(),
							"Rename one of them: channel names are unique across socket servers, D-Bus signals"
									+ " and processes, because @IpcListener refers to them by name alone.");
				}
			}
		});
		return byName;
	}

	private IpcMessageListener createAdapter(IpcListenerEndpoint endpoint, IpcChannel channel,
			@Nullable IpcErrorHandler handler, IpcMetrics metrics) {
		DefaultMessageHandlerMethodFactory factory = new DefaultMessageHandlerMethodFactory();
		factory.setMessageConverter(this.messageConverter);
		// the channel's own resolvers first, then ByteBuffer payloads, then payloads that
		// may be empty frames
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(channel.argumentResolvers());
		resolvers.add(new ByteBufferPayloadArgumentResolver());
		resolvers.add(new EmptyPayloadArgumentResolver(this.messageConverter));
		factory.setCustomArgumentResolvers(resolvers);
		factory.afterPropertiesSet();
		InvocableHandlerMethod method = factory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method());
		return new MessagingIpcListenerAdapter(channel.name(), endpoint.describe(), method, this.messageConverter,
				handler, this.publisher, metrics.listener(channel.name(), endpoint.describe()));
	}

	private static IpcConfigurationException unknownChannel(IpcListenerEndpoint endpoint, String channelName,
			Map<String, IpcChannel> known) {
		String list = known.isEmpty() ? "none"
				: known.values()
					.stream()
					.map((c) -> c.name() + " (" + c.kind() + ", " + c.property() + ")")
					.collect(Collectors.joining(", "));
		return new IpcConfigurationException("@IpcListener on " + endpoint.describe(),
				"channel '" + channelName + "' is not configured; known channels: " + list,
				"Use one of the known channel names, or define '" + channelName
						+ "' under ipc.servers, ipc.dbus.signals or ipc.processes.");
	}

}
