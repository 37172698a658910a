package dev.ipcboot.dbus;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.base.ReceivingService;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Introspectable;
import org.freedesktop.dbus.interfaces.Peer;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * What dbus-java reaches by reflection and JDK proxies, for a native image: the bus's own
 * interfaces and signals it uses on every connection, the socket provider it finds
 * through {@code ServiceLoader}, the members of dbus-java the starter itself reaches by
 * reflection (ADR 0002: {@link BusReader}, {@link FutureExportedObject},
 * {@link MethodCallPool}), and (through {@link #registerInterface}) an application's
 * D-Bus interfaces: their methods, the signal classes nested in them (dbus-java builds a
 * received signal through its constructor) and the structs they pass.
 */
class DBusRuntimeHints implements RuntimeHintsRegistrar {

	/** The methods of dbus-java's connections the starter calls by reflection. */
	private static final Set<String> REACHED_METHODS = Set.of("internalDisconnect", "doWithExportedObjects",
			"getReceivingService");

	/** The junixsocket transport's service providers, which dbus-java loads by name. */
	static final String[] SERVICE_PROVIDERS = {
			"org.freedesktop.dbus.transport.junixsocket.JUnixSocketTransportProvider",
			"org.freedesktop.dbus.transport.junixsocket.JUnixSocketSocketProvider" };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (Class<?> type : new Class<?>[] { DBus.class, Properties.class, Introspectable.class, Peer.class }) {
			registerInterface(hints, type);
			hints.proxies().registerJdkProxy(type);
		}
		hints.resources().registerPattern("META-INF/services/org.freedesktop.dbus.spi.message.ISocketProvider");
		hints.resources().registerPattern("META-INF/services/org.freedesktop.dbus.spi.transport.ITransportProvider");
		hints.reflection().registerType(StandardErrorSocketProvider.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		for (String provider : SERVICE_PROVIDERS) {
			hints.reflection().registerType(TypeReference.of(provider), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		for (Method method : AbstractConnectionBase.class.getDeclaredMethods()) {
			if (REACHED_METHODS.contains(method.getName())) {
				hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
			}
		}
		for (Field field : ReceivingService.class.getDeclaredFields()) {
			if (field.getName().equals("executors")) {
				hints.reflection().registerField(field);
			}
		}
	}

	/**
	 * Register a D-Bus interface for export and for remote proxies: its methods, a JDK
	 * proxy of it alone (what {@link DBusTemplate#remote} creates), its nested signal
	 * classes and the structs and tuples in its method signatures.
	 * @param hints the hints to add to
	 * @param type the interface
	 */
	static void registerInterface(RuntimeHints hints, Class<?> type) {
		hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
		if (type.isInterface() && DBusInterface.class.isAssignableFrom(type) && type != DBusInterface.class) {
			hints.proxies().registerJdkProxy(type);
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (DBusSignal.class.isAssignableFrom(nested)) {
				hints.reflection()
					.registerType(nested, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
							MemberCategory.ACCESS_PUBLIC_FIELDS);
			}
		}
		Set<Class<?>> carried = new LinkedHashSet<>();
		for (Method method : type.getMethods()) {
			collect(ResolvableType.forMethodReturnType(method), carried);
			for (int i = 0; i < method.getParameterCount(); i++) {
				collect(ResolvableType.forMethodParameter(method, i), carried);
			}
		}
		carried.forEach((struct) -> hints.reflection()
			.registerType(struct, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.ACCESS_DECLARED_FIELDS,
					MemberCategory.ACCESS_PUBLIC_FIELDS));
	}

	/** The interfaces of an exported bean, in the order its export proxies list them. */
	static Class<?>[] exportedInterfaces(Class<?> beanClass) {
		return ClassUtils.getAllInterfacesForClass(beanClass, beanClass.getClassLoader());
	}

	private static void collect(ResolvableType type, Set<Class<?>> carried) {
		Class<?> raw = type.resolve();
		if (raw == null) {
			return;
		}
		if ((Struct.class.isAssignableFrom(raw) || Tuple.class.isAssignableFrom(raw)) && carried.add(raw)) {
			for (Field field : raw.getDeclaredFields()) {
				collect(ResolvableType.forField(field), carried);
			}
		}
		for (ResolvableType generic : type.getGenerics()) {
			collect(generic, carried);
		}
		if (type.isArray()) {
			collect(type.getComponentType(), carried);
		}
	}

}
