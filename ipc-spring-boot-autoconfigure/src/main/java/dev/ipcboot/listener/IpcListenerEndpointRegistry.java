package dev.ipcboot.listener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.validation.Validator;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcMetrics;

/**
 * Holds every {@link IpcListener} and every {@link IpcChannel}, and starts, stops, pauses
 * and resumes listeners by id at run time, as Spring Kafka's
 * {@code KafkaListenerEndpointRegistry} does for its containers.
 * <p>
 * Once all singletons exist (lazy beans that declare listeners are created then), it
 * checks that channel names are unique, that each listener names a known channel, a known
 * error handler and only headers its channel carries, then attaches one listener per
 * (method, channel) pair. Channels start later, in their facility's lifecycle, so no
 * message arrives before its listener is attached; a listener that does not start
 * automatically holds its channel back from the start.
 * <p>
 * Stopping or pausing a listener holds its channel's messages back (see ADR 0006): a
 * socket server stops accepting and reading when paused and closes when stopped, a D-Bus
 * signal channel buffers up to {@value ListenerContainer#BUFFER_LIMIT} signals per
 * listener when paused and unsubscribes when stopped, a process's output and a client's
 * subscription stop being read, so that the pipe or the socket pushes back.
 */
public class IpcListenerEndpointRegistry
		implements SmartInitializingSingleton, BeanFactoryAware, ApplicationListener<ContextClosedEvent> {

	private final List<IpcListenerEndpoint> endpoints = Collections.synchronizedList(new ArrayList<>());

	private final ObjectProvider<IpcChannelSource> channelSources;

	private final MessageConverter messageConverter;

	private final ObjectProvider<IpcErrorHandler> errorHandler;

	private final ApplicationEventPublisher publisher;

	private final @Nullable ObjectProvider<IpcMetrics> metrics;

	private final Map<String, List<ListenerContainer>> containers = new LinkedHashMap<>();

	/** The endpoint (or other listener) each id belongs to. */
	private final Map<String, Object> owners = new LinkedHashMap<>();

	private final List<Runnable> pending = new ArrayList<>();

	/** Channel states already applied, so that each hook is called once per change. */
	private final Map<IpcChannel, SourceState> sourceStates = new IdentityHashMap<>();

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private volatile Map<String, IpcChannel> channels = Map.of();

	private volatile boolean initialized;

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

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	/**
	 * Register an endpoint; called by the annotation post-processor. An endpoint
	 * registered after start-up (a bean created later) is attached at once.
	 * @param endpoint the endpoint
	 * @throws IpcConfigurationException if it cannot be attached, naming the reason
	 */
	public void register(IpcListenerEndpoint endpoint) {
		this.endpoints.add(endpoint);
		if (this.initialized) {
			attach(endpoint, this.channels);
		}
	}

	/**
	 * Attach a listener of another kind than an {@link IpcListener} method (a Spring
	 * Integration inbound endpoint) to a channel, under an id of the registry, so that it
	 * can be stopped, paused and resumed like the others.
	 * @param id the listener's id, unique
	 * @param channelName the channel
	 * @param listener the listener
	 * @param autoStartup whether it receives from the start
	 * @throws IpcConfigurationException if the channel is unknown or the id taken
	 */
	public void register(String id, String channelName, IpcMessageListener listener, boolean autoStartup) {
		Runnable attach = () -> {
			IpcChannel channel = this.channels.get(channelName);
			if (channel == null) {
				throw unknownChannel(listener.describe(), channelName, this.channels);
			}
			addContainer(new ListenerContainer(id, channel, listener), autoStartup, listener);
		};
		if (this.initialized) {
			attach.run();
		}
		else {
			synchronized (this.pending) {
				this.pending.add(attach);
			}
		}
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

	/**
	 * The ids of every listener.
	 * @return the ids, sorted
	 */
	public synchronized Set<String> ids() {
		return Collections.unmodifiableSet(new TreeSet<>(this.containers.keySet()));
	}

	/**
	 * Start a listener: its channel delivers to it again (a stopped socket server binds
	 * again, a D-Bus channel subscribes again). Starting a running listener does nothing.
	 * @param id the listener's id
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public void start(String id) {
		change(id, true, null);
	}

	/**
	 * Stop a listener: it receives nothing until started again. What its channel does
	 * meanwhile depends on its kind (see the class description).
	 * @param id the listener's id
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public void stop(String id) {
		change(id, false, null);
	}

	/**
	 * Pause a listener: messages are held back, not lost (a D-Bus listener buffers up to
	 * {@value ListenerContainer#BUFFER_LIMIT} signals and drops the oldest beyond), until
	 * {@link #resume(String)}. A stopped listener that is paused starts paused.
	 * @param id the listener's id
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public void pause(String id) {
		change(id, null, true);
	}

	/**
	 * Resume a paused listener: what was held back is delivered first, in order.
	 * @param id the listener's id
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public void resume(String id) {
		change(id, null, false);
	}

	/**
	 * Whether a listener is started (it may be paused).
	 * @param id the listener's id
	 * @return whether it is running
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public synchronized boolean isRunning(String id) {
		return containers(id).get(0).isRunning();
	}

	/**
	 * Whether a listener is paused.
	 * @param id the listener's id
	 * @return whether a pause was requested and not resumed
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public synchronized boolean isPaused(String id) {
		return containers(id).get(0).isPaused();
	}

	/**
	 * The channels a listener receives from.
	 * @param id the listener's id
	 * @return the channel names
	 * @throws IllegalArgumentException if no listener has that id
	 */
	public synchronized List<String> channelsOf(String id) {
		return containers(id).stream().map((container) -> container.channel().name()).toList();
	}

	private synchronized void change(String id, @Nullable Boolean running, @Nullable Boolean paused) {
		Set<IpcChannel> touched = new LinkedHashSet<>();
		for (ListenerContainer container : containers(id)) {
			container.update((running != null) ? running : container.isRunning(),
					(paused != null) ? paused : container.isPaused(), container.isHeldBySource());
			touched.add(container.channel());
		}
		touched.forEach(this::reconcile);
	}

	private List<ListenerContainer> containers(String id) {
		List<ListenerContainer> found = this.containers.get(id);
		if (found == null) {
			throw new IllegalArgumentException(
					"No @IpcListener has id '" + id + "'; known ids: " + new TreeSet<>(this.containers.keySet()));
		}
		return found;
	}

	private enum SourceState {

		RECEIVING, PAUSED, STOPPED

	}

	/**
	 * Make the channel's source follow its listeners: stopped when all are stopped, not
	 * reading when all running ones are paused, and tell the listeners whether the source
	 * holds messages back or they must. The listeners are told first, so that the
	 * messages a stopping channel drains reach them instead of waiting for them.
	 */
	private void reconcile(IpcChannel channel) {
		List<ListenerContainer> ofChannel = new ArrayList<>();
		this.containers.values()
			.forEach((list) -> list.stream()
				.filter((container) -> container.channel() == channel)
				.forEach(ofChannel::add));
		boolean anyRunning = ofChannel.stream().anyMatch(ListenerContainer::isRunning);
		boolean anyReceiving = ofChannel.stream().anyMatch(ListenerContainer::receives);
		SourceState wanted = !anyRunning ? SourceState.STOPPED
				: (anyReceiving ? SourceState.RECEIVING : SourceState.PAUSED);
		SourceState current = this.sourceStates.getOrDefault(channel, SourceState.RECEIVING);
		if (wanted == current) {
			return;
		}
		// only a channel that can hold messages back at the source is trusted to before
		// it
		// says so: otherwise a message could pass to a stopped or paused listener between
		// this and the channel's answer
		holdBySource(ofChannel, wanted != SourceState.RECEIVING && channel.holdsAtSource());
		if (current == SourceState.STOPPED) {
			channel.startReceiving();
		}
		else if (current == SourceState.PAUSED) {
			channel.resumeReading();
		}
		boolean applied = switch (wanted) {
			case STOPPED -> channel.stopReceiving() || channel.pauseReading();
			case PAUSED -> channel.pauseReading();
			case RECEIVING -> true;
		};
		this.sourceStates.put(channel, applied ? wanted : SourceState.RECEIVING);
		if (!applied) {
			holdBySource(ofChannel, false);
		}
	}

	private static void holdBySource(List<ListenerContainer> containers, boolean held) {
		for (ListenerContainer container : containers) {
			container.update(container.isRunning(), container.isPaused(), held && !container.receives());
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		createLazyListenerBeans();
		Map<String, IpcChannel> byName = collectChannels();
		this.channels = Collections.unmodifiableMap(byName);
		for (IpcListenerEndpoint endpoint : getEndpoints()) {
			attach(endpoint, byName);
		}
		this.initialized = true;
		synchronized (this.pending) {
			this.pending.forEach(Runnable::run);
			this.pending.clear();
		}
	}

	/**
	 * Create the lazy singletons that declare listeners (with
	 * {@code spring.main.lazy-initialization=true} that is every one), which would
	 * otherwise never be created and so never listen.
	 */
	private void createLazyListenerBeans() {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory == null) {
			return;
		}
		for (String name : factory.getBeanDefinitionNames()) {
			BeanDefinition definition = factory.getBeanDefinition(name);
			if (definition.isAbstract() || !definition.isLazyInit() || !definition.isSingleton()) {
				continue;
			}
			Class<?> type = factory.getType(name, false);
			if (type != null && hasListeners(type)) {
				factory.getBean(name);
			}
		}
	}

	/**
	 * Whether a class declares {@link IpcListener} methods; used to find lazy beans that
	 * must be created for their listeners to exist.
	 * @param type the bean class
	 * @return whether it has listener methods
	 */
	private static boolean hasListeners(Class<?> type) {
		return !MethodIntrospector
			.selectMethods(type,
					(MethodIntrospector.MetadataLookup<IpcListener>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, IpcListener.class))
			.isEmpty();
	}

	private void attach(IpcListenerEndpoint endpoint, Map<String, IpcChannel> byName) {
		IpcErrorHandler handler = errorHandlerFor(endpoint);
		Validator validator = validator();
		ListenerChecks.checkValidator(endpoint, validator);
		IpcMetrics metrics = (this.metrics != null) ? this.metrics.getIfAvailable(() -> IpcMetrics.NONE)
				: IpcMetrics.NONE;
		String id = endpoint.id().isEmpty() ? endpoint.describe() : endpoint.id();
		for (String channelName : endpoint.channels()) {
			IpcChannel channel = byName.get(channelName);
			if (channel == null) {
				throw unknownChannel(endpoint.describe(), channelName, byName);
			}
			ListenerChecks.checkHeaders(endpoint, channel);
			IpcMessageListener adapter = createAdapter(endpoint, channel, handler, metrics, validator);
			addContainer(new ListenerContainer(id, channel, adapter), endpoint.autoStartup(), endpoint);
		}
	}

	private synchronized void addContainer(ListenerContainer container, boolean autoStartup, Object owner) {
		Object existing = this.owners.putIfAbsent(container.id(), owner);
		List<ListenerContainer> list = this.containers.computeIfAbsent(container.id(), (key) -> new ArrayList<>());
		if (existing != null && existing != owner) {
			throw new IpcConfigurationException(
					"@IpcListener(id = \"" + container.id() + "\") on " + container.describe(),
					"id '" + container.id() + "' is also the id of " + list.get(0).describe(),
					"Give each listener its own id: the registry starts, stops and pauses listeners by id.");
		}
		list.add(container);
		container.channel().addListener(container);
		container.update(autoStartup, false, false);
		reconcile(container.channel());
	}

	private @Nullable IpcErrorHandler errorHandlerFor(IpcListenerEndpoint endpoint) {
		if (this.beanFactory == null) {
			return this.errorHandler.getIfAvailable();
		}
		if (endpoint.errorHandler().isEmpty()) {
			return globalErrorHandler(this.beanFactory, endpoint);
		}
		try {
			return this.beanFactory.getBean(endpoint.errorHandler(), IpcErrorHandler.class);
		}
		catch (NoSuchBeanDefinitionException ex) {
			String known = String.join(", ", this.beanFactory.getBeanNamesForType(IpcErrorHandler.class));
			throw new IpcConfigurationException("@IpcListener(errorHandler) on " + endpoint.describe(),
					"there is no IpcErrorHandler bean named '" + endpoint.errorHandler() + "'; IpcErrorHandler beans: "
							+ (known.isEmpty() ? "none" : known),
					"Define an IpcErrorHandler bean with that name, or name one of the existing ones.");
		}
	}

	/**
	 * The global error handler: the one {@link IpcErrorHandler} bean that no listener
	 * names as its own, or the {@code @Primary} one among several.
	 */
	private @Nullable IpcErrorHandler globalErrorHandler(ConfigurableListableBeanFactory factory,
			IpcListenerEndpoint endpoint) {
		Set<String> named = new HashSet<>();
		getEndpoints().forEach((each) -> named.add(each.errorHandler()));
		List<String> candidates = new ArrayList<>();
		for (String name : factory.getBeanNamesForType(IpcErrorHandler.class)) {
			if (!named.contains(name)) {
				candidates.add(name);
			}
		}
		if (candidates.isEmpty()) {
			return null;
		}
		if (candidates.size() == 1) {
			return factory.getBean(candidates.get(0), IpcErrorHandler.class);
		}
		for (String name : candidates) {
			if (factory.containsBeanDefinition(name) && factory.getBeanDefinition(name).isPrimary()) {
				return factory.getBean(name, IpcErrorHandler.class);
			}
		}
		throw new IpcConfigurationException("@IpcListener on " + endpoint.describe(),
				"there are several IpcErrorHandler beans " + candidates
						+ " that no listener names as its own, so none of them is the global one",
				"Mark the global one @Primary, or name a handler in @IpcListener(errorHandler = \"...\").");
	}

	/**
	 * The context's validator, as {@code @MessageMapping} uses it: Boot's
	 * {@code defaultValidator} when there are several.
	 */
	private @Nullable Validator validator() {
		if (this.beanFactory == null) {
			return null;
		}
		ObjectProvider<Validator> validators = this.beanFactory.getBeanProvider(Validator.class);
		Validator unique = validators.getIfUnique();
		if (unique != null) {
			return unique;
		}
		if (this.beanFactory.containsBean("defaultValidator")
				&& this.beanFactory.isTypeMatch("defaultValidator", Validator.class)) {
			return this.beanFactory.getBean("defaultValidator", Validator.class);
		}
		return validators.orderedStream().findFirst().orElse(null);
	}

	private Map<String, IpcChannel> collectChannels() {
		Map<String, IpcChannel> byName = new TreeMap<>();
		this.channelSources.orderedStream().forEach((source) -> {
			for (IpcChannel channel : source.channels()) {
				IpcChannel existing = byName.putIfAbsent(channel.name(), channel);
				if (existing != null && existing != channel) {
					throw new IpcConfigurationException(channel.property(),
							"channel name '" + channel.name() + "' is also used by " + existing.property(),
							"Rename one of them: channel names are unique across every kind of channel, because"
									+ " @IpcListener refers to them by name alone.");
				}
			}
		});
		return byName;
	}

	private IpcMessageListener createAdapter(IpcListenerEndpoint endpoint, IpcChannel channel,
			@Nullable IpcErrorHandler handler, IpcMetrics metrics, @Nullable Validator validator) {
		DefaultMessageHandlerMethodFactory factory = new ListenerMethodFactory();
		factory.setMessageConverter(this.messageConverter);
		if (validator != null) {
			factory.setValidator(validator);
		}
		// the channel's own resolvers first, then ByteBuffer payloads, then payloads that
		// may be empty frames
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(channel.argumentResolvers());
		resolvers.add(new ByteBufferPayloadArgumentResolver());
		resolvers.add(new EmptyPayloadArgumentResolver(this.messageConverter, validator));
		factory.setCustomArgumentResolvers(resolvers);
		factory.afterPropertiesSet();
		InvocableHandlerMethod method = factory.createInvocableHandlerMethod(endpoint.bean(), endpoint.method());
		return new MessagingIpcListenerAdapter(channel.name(), endpoint.describe(), method, this.messageConverter,
				handler, this.publisher, metrics.listener(channel.name(), endpoint.describe()));
	}

	private static IpcConfigurationException unknownChannel(String listener, String channelName,
			Map<String, IpcChannel> known) {
		String list = known.isEmpty() ? "none"
				: known.values()
					.stream()
					.map((c) -> c.name() + " (" + c.kind() + ", " + c.property() + ")")
					.collect(Collectors.joining(", "));
		return new IpcConfigurationException("@IpcListener on " + listener,
				"channel '" + channelName + "' is not configured; known channels: " + list,
				"Use one of the known channel names, or configure a channel named '" + channelName
						+ "' (each known channel above shows the property that defines it).");
	}

	/**
	 * Release every thread held for a paused or stopped listener when the context closes,
	 * before the lifecycle stops the channels, so that they can drain.
	 * @param event the closing event
	 */
	@Override
	public synchronized void onApplicationEvent(ContextClosedEvent event) {
		if (this.beanFactory == null
				|| event.getApplicationContext().getAutowireCapableBeanFactory() == this.beanFactory) {
			this.containers.values().forEach((list) -> list.forEach(ListenerContainer::close));
		}
	}

}
