package dev.ipcboot.autoconfigure;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * What of the starter an application asks for, found before any bean of ours is
 * registered: the {@code ipc.*} properties it sets, and what its bean definitions declare
 * ({@code @IpcListener} methods, {@code @DBusExport} classes, listeners of session
 * events). The conditions of {@link ConditionalOnIpcUsed} read it, so that an application
 * that asks for nothing gets no infrastructure bean of ours (ADR 0011, session 8).
 * <p>
 * Bean definitions are read the way {@link OnDBusUsedCondition} reads them: the class
 * from the definition's metadata, bean class or factory method's return type, the
 * framework's own classes skipped. The application's classes are loaded and their methods
 * looked at by reflection, which Spring's {@code EventListenerMethodProcessor} does for
 * every bean later anyway. One pass per bean factory; a later call looks only at
 * definitions added since.
 */
final class IpcUsage {

	static final String IPC_LISTENER = "dev.ipcboot.listener.IpcListener";

	static final String DBUS_EXPORT = "dev.ipcboot.dbus.DBusExport";

	static final String SESSION_EVENT = "dev.ipcboot.session.SessionEvent";

	/**
	 * The SPI a facility of the application's own implements: a source of channels for
	 * {@code @IpcListener}. {@code dev.ipcboot.internal.IpcResourceSource} is not one: it
	 * is internal (ADR 0019), so a bean of that type is the starter's own and asks for
	 * nothing.
	 */
	static final Set<String> FACILITY_SPI = Set.of("dev.ipcboot.listener.IpcChannelSource");

	private static final ConfigurationPropertyName IPC = ConfigurationPropertyName.of("ipc");

	private static final ConfigurationPropertyName SESSION = ConfigurationPropertyName.of("ipc.session");

	private static final Map<ConfigurableListableBeanFactory, Scan> scans = new WeakHashMap<>();

	private IpcUsage() {
	}

	/**
	 * The first property below {@code ipc} that asks for something: any but those below
	 * {@code ipc.session} and the {@code enabled} switches set to {@code false}.
	 * @param environment the environment
	 * @return the property's name, or {@code null}
	 */
	static @Nullable String facilityProperty(Environment environment) {
		return firstProperty(environment, IPC, SESSION);
	}

	/**
	 * The first property below {@code ipc.session} that asks for the session facility (an
	 * {@code enabled} switch set to {@code false} does not).
	 * @param environment the environment
	 * @return the property's name, or {@code null}
	 */
	static @Nullable String sessionProperty(Environment environment) {
		return firstProperty(environment, SESSION, null);
	}

	private static @Nullable String firstProperty(Environment environment, ConfigurationPropertyName prefix,
			@Nullable ConfigurationPropertyName except) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				ConfigurationPropertyName found = iterable.stream()
					.filter((name) -> prefix.isAncestorOf(name) && (except == null || !except.isAncestorOf(name)))
					.filter((name) -> !isSwitchedOff(source, name))
					.findFirst()
					.orElse(null);
				if (found != null) {
					return found.toString();
				}
			}
			else if (except == null && source.containsDescendantOf(prefix) == ConfigurationPropertyState.PRESENT) {
				return prefix + ".*";
			}
		}
		return null;
	}

	private static boolean isSwitchedOff(ConfigurationPropertySource source, ConfigurationPropertyName name) {
		if (!name.getLastElement(ConfigurationPropertyName.Form.UNIFORM).equals("enabled")) {
			return false;
		}
		var property = source.getConfigurationProperty(name);
		return property != null && "false".equalsIgnoreCase(String.valueOf(property.getValue()).trim());
	}

	/**
	 * What the bean definitions (and the context's own application listeners) declare.
	 * @param beanFactory the bean factory, or {@code null}
	 * @param context the application context, if the condition has it
	 * @param classLoader to load the application's classes
	 * @return what was found
	 */
	static Scan scan(@Nullable ConfigurableListableBeanFactory beanFactory, @Nullable Object context,
			@Nullable ClassLoader classLoader) {
		Scan scan = new Scan();
		if (beanFactory == null) {
			return scan;
		}
		synchronized (scans) {
			scan = scans.computeIfAbsent(beanFactory, (key) -> new Scan());
		}
		synchronized (scan) {
			String[] names = beanFactory.getBeanDefinitionNames();
			for (int i = scan.seen; i < names.length; i++) {
				scan.add(beanFactory.getBeanDefinition(names[i]), classLoader);
			}
			scan.seen = Math.max(scan.seen, names.length);
			if (context instanceof AbstractApplicationContext applicationContext) {
				for (ApplicationListener<?> listener : applicationContext.getApplicationListeners()) {
					scan.sessionListener |= listensForSessionEvents(listener.getClass()) || isLambda(listener);
				}
			}
			return scan.copy();
		}
	}

	private static @Nullable String typeName(BeanDefinition definition) {
		if (definition.getFactoryMethodName() == null) {
			return definition.getBeanClassName();
		}
		if (definition instanceof AnnotatedBeanDefinition annotated && annotated.getFactoryMethodMetadata() != null) {
			return annotated.getFactoryMethodMetadata().getReturnTypeName();
		}
		if (definition instanceof RootBeanDefinition root && root.getResolvedFactoryMethod() != null) {
			return root.getResolvedFactoryMethod().getReturnType().getName();
		}
		return null;
	}

	/**
	 * Whether the class belongs to a framework whose own classes never listen for our
	 * events (the same list as the {@code @IpcListener} post-processor's).
	 */
	private static boolean isFramework(String name) {
		return name.startsWith("org.springframework.") || name.startsWith("java.") || name.startsWith("jakarta.")
				|| name.startsWith("tools.jackson.") || name.startsWith("com.fasterxml.jackson.")
				|| name.startsWith("io.micrometer.");
	}

	/**
	 * Whether the class listens for a session event: an {@link ApplicationListener} whose
	 * event type is one, or an {@link EventListener} method taking one. A listener of
	 * every event (or of every {@code IpcEvent}) does not count, as at run time.
	 */
	static boolean listensForSessionEvents(Class<?> type) {
		if (isFramework(type.getName())) {
			return false;
		}
		if (ApplicationListener.class.isAssignableFrom(type)
				&& isSessionEvent(ResolvableType.forClass(type).as(ApplicationListener.class).getGeneric().resolve())) {
			return true;
		}
		Map<Method, Boolean> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<Boolean>) (method) -> {
					EventListener listener = AnnotatedElementUtils.findMergedAnnotation(method, EventListener.class);
					if (listener == null) {
						return null;
					}
					Class<?>[] events = (listener.classes().length > 0) ? listener.classes()
							: method.getParameterTypes();
					for (Class<?> event : events) {
						if (isSessionEvent(event)) {
							return Boolean.TRUE;
						}
					}
					return null;
				});
		return !methods.isEmpty();
	}

	/**
	 * Whether a listener the context was given is a lambda of the application's own
	 * ({@code SpringApplication.addListeners(e -> ...)}): its class declares no event
	 * type (it reads as {@code ApplicationEvent}), so it counts as a listener of a
	 * session event rather than miss one.
	 */
	private static boolean isLambda(ApplicationListener<?> listener) {
		Class<?> type = listener.getClass();
		return type.isSynthetic() && !isFramework(type.getName());
	}

	private static boolean isSessionEvent(@Nullable Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(SESSION_EVENT)) {
				return true;
			}
		}
		return false;
	}

	/** What the bean definitions declare. */
	static final class Scan {

		int seen;

		boolean listenerMethods;

		boolean exports;

		boolean sessionListener;

		boolean facilities;

		private void add(BeanDefinition definition, @Nullable ClassLoader classLoader) {
			if (definition instanceof AnnotatedBeanDefinition annotated && definition.getFactoryMethodName() == null) {
				// a scanned or registered class: its metadata answers without loading it
				if (annotated.getMetadata().hasAnnotatedMethods(IPC_LISTENER)) {
					this.listenerMethods = true;
				}
				if (annotated.getMetadata().hasAnnotation(DBUS_EXPORT)) {
					this.exports = true;
				}
			}
			if (!this.sessionListener && returnsSessionListener(definition, classLoader)) {
				// a @Bean method declaring ApplicationListener<SessionShutdownEvent>,
				// whose
				// type name alone is the framework's
				this.sessionListener = true;
			}
			String name = typeName(definition);
			if (name == null || isFramework(name)) {
				return;
			}
			Class<?> type;
			try {
				type = ClassUtils.forName(name, classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// not a class this look can see; such a bean is looked at again when
				// it is created
				return;
			}
			if (!this.listenerMethods && hasListenerMethods(type)) {
				this.listenerMethods = true;
			}
			if (!this.exports && MergedAnnotations.from(type, SearchStrategy.TYPE_HIERARCHY).isPresent(DBUS_EXPORT)) {
				this.exports = true;
			}
			if (!this.sessionListener && listensForSessionEvents(type)) {
				this.sessionListener = true;
			}
			if (!this.facilities && isFacility(type)) {
				this.facilities = true;
			}
		}

		/**
		 * Whether the definition's {@code @Bean} method declares an
		 * {@link ApplicationListener} of a session event as its generic return type.
		 */
		private static boolean returnsSessionListener(BeanDefinition definition, @Nullable ClassLoader classLoader) {
			if (!(definition instanceof AnnotatedBeanDefinition annotated)) {
				return false;
			}
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			if (factoryMethod == null
					|| !ApplicationListener.class.getName().equals(factoryMethod.getReturnTypeName())) {
				return false;
			}
			Class<?> declaring;
			try {
				declaring = ClassUtils.forName(factoryMethod.getDeclaringClassName(), classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
			for (Method method : ReflectionUtils.getUniqueDeclaredMethods(declaring)) {
				if (method.getName().equals(factoryMethod.getMethodName())
						&& isSessionEvent(ResolvableType.forMethodReturnType(method)
							.as(ApplicationListener.class)
							.getGeneric()
							.resolve())) {
					return true;
				}
			}
			return false;
		}

		private static boolean isFacility(Class<?> type) {
			return ClassUtils.getAllInterfacesForClassAsSet(type)
				.stream()
				.anyMatch((candidate) -> FACILITY_SPI.contains(candidate.getName()))
					|| FACILITY_SPI.contains(type.getName());
		}

		private static boolean hasListenerMethods(Class<?> type) {
			return !MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<Boolean>) (
					method) -> MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(IPC_LISTENER)
							? Boolean.TRUE : null)
				.isEmpty();
		}

		private Scan copy() {
			Scan copy = new Scan();
			copy.seen = this.seen;
			copy.listenerMethods = this.listenerMethods;
			copy.exports = this.exports;
			copy.sessionListener = this.sessionListener;
			copy.facilities = this.facilities;
			return copy;
		}

	}

}
