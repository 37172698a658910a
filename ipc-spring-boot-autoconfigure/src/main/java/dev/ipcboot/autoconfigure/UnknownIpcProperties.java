package dev.ipcboot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ReflectionUtils;

import dev.ipcboot.IpcConfigurationException;

/**
 * Fails start-up, before any bean of ours is created, on a property below {@code ipc}
 * that none of the starter's properties classes has: a typo such as
 * {@code ipc.servers.orders.trasport} would otherwise be ignored (Boot binds the
 * properties classes with unknown fields ignored, and several share the {@code ipc}
 * prefix) and the server would start with the default transport. The report names the
 * property and, when one is close, the property meant.
 * <p>
 * The names are walked through the properties classes' types (map keys and list indexes
 * are free), so a facility that is switched off is still known. Not checked: environment
 * variables (an unrelated {@code IPC_...} variable is not a typo of ours), what the test
 * module publishes below {@code ipc.test}, the {@code enabled} switches (read by
 * conditions, not bound), anything below a value that is not one of the starter's types
 * (an environment map, a list of strings), and a first element below {@code ipc} that is
 * not close to any facility's name ({@code ipc.myapp.*}: an application's own properties
 * may share the first element).
 */
final class UnknownIpcProperties implements BeanFactoryPostProcessor, EnvironmentAware {

	/** Every properties class of the starter. */
	static final List<Class<?>> PROPERTIES = List.of(SocketServerProperties.class, SocketClientProperties.class,
			SocketEngineProperties.class, SharedMemoryProperties.class, SemaphoreProperties.class,
			ProcessProperties.class, DBusProperties.class, SessionProperties.class, HttpProperties.class,
			IpcObservationProperties.class);

	private static final Log logger = LogFactory.getLog(UnknownIpcProperties.class);

	private static final ConfigurationPropertyName IPC = ConfigurationPropertyName.of("ipc");

	/**
	 * What {@code ipc-spring-boot-test} publishes for a test ({@code ipc.test.dir},
	 * {@code ipc.test.id}, {@code ipc.test.bus-address}): read, never bound.
	 */
	private static final ConfigurationPropertyName TEST = ConfigurationPropertyName.of("ipc.test");

	/**
	 * The socket engine's io_uring measuring switch, a system property read by the engine
	 * itself (ADR 0001, session 7), never bound.
	 */
	private static final ConfigurationPropertyName IO_URING = ConfigurationPropertyName.of("ipc.socket.io-uring");

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (this.environment != null) {
			check(this.environment);
		}
	}

	/**
	 * Throw for the first unknown property below {@code ipc}.
	 * @param environment the environment
	 * @throws IpcConfigurationException naming it
	 */
	static void check(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)
					|| source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
				continue;
			}
			iterable.stream()
				.filter((name) -> IPC.isAncestorOf(name) && !TEST.isAncestorOf(name) && !IO_URING.equals(name))
				.forEach(UnknownIpcProperties::checkName);
		}
	}

	private static void checkName(ConfigurationPropertyName name) {
		Unknown unknown = find(name);
		if (unknown == null) {
			return;
		}
		String suggestion = closest(unknown.element(), unknown.candidates());
		if (unknown.index() == 1 && suggestion == null) {
			// ipc.<name> far from every facility's name (ipc.myapp...): an application's
			// own namespace below the same first element, not a typo of ours
			logger.debug(
					"Not checked: " + name + " (no facility of the starter is named like " + unknown.element() + ")");
			return;
		}
		ConfigurationPropertyName meant = null;
		if (suggestion != null) {
			// the name as set, with the one element corrected
			meant = name.chop(unknown.index()).append(suggestion);
			for (int i = unknown.index() + 1; i < name.getNumberOfElements(); i++) {
				String element = name.getElement(i, Form.ORIGINAL);
				meant = meant.append(name.isNumericIndex(i) ? "[" + element + "]" : element);
			}
		}
		String problem = "no facility of the starter has this property (a typo?)"
				+ ((meant != null) ? "; did you mean " + meant + "?" : "");
		throw new IpcConfigurationException(name.toString(), problem,
				"Correct or remove it; the starter's properties are listed in its configuration metadata"
						+ " (your IDE completes them) and in docs/.");
	}

	/** Where the name leaves the properties classes, or {@code null} if it does not. */
	static @Nullable Unknown find(ConfigurationPropertyName name) {
		// classes whose prefix is longer than ipc (ipc.dbus) come first
		int count = name.getNumberOfElements();
		List<String> topLevel = new ArrayList<>();
		for (Class<?> type : PROPERTIES) {
			ConfigurationPropertyName prefix = prefix(type);
			if (prefix.equals(IPC)) {
				for (PropertyDescriptor descriptor : properties(type)) {
					topLevel.add(dashed(javaName(type, descriptor)));
				}
				continue;
			}
			topLevel.add(prefix.getLastElement(Form.DASHED));
			if (prefix.isAncestorOf(name)) {
				return walk(name, prefix.getNumberOfElements(), ResolvableType.forClass(type));
			}
		}
		if (count < 2) {
			return null;
		}
		String element = name.getElement(1, Form.UNIFORM);
		for (Class<?> type : PROPERTIES) {
			if (!prefix(type).equals(IPC)) {
				continue;
			}
			for (PropertyDescriptor descriptor : properties(type)) {
				if (uniform(javaName(type, descriptor)).equals(element)) {
					return walk(name, 2, type(descriptor));
				}
			}
		}
		return unknownUnlessSwitch(name, 1, topLevel);
	}

	/** Follow the name from element {@code index} into {@code type}. */
	private static @Nullable Unknown walk(ConfigurationPropertyName name, int index, ResolvableType type) {
		ResolvableType current = type;
		for (int i = index; i < name.getNumberOfElements(); i++) {
			Class<?> raw = current.resolve(Object.class);
			if (Map.class.isAssignableFrom(raw)) {
				// the key is free
				current = current.asMap().getGeneric(1);
				continue;
			}
			if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
				if (!name.isNumericIndex(i)) {
					return null;
				}
				current = raw.isArray() ? current.getComponentType() : current.asCollection().getGeneric(0);
				continue;
			}
			if (!isOurs(raw)) {
				// a value: what is below it is the binder's business
				return null;
			}
			List<PropertyDescriptor> properties = properties(raw);
			if (properties.isEmpty()) {
				// a type not bound as a JavaBean: not known well enough to refuse
				return null;
			}
			String element = name.getElement(i, Form.UNIFORM);
			PropertyDescriptor match = properties.stream()
				.filter((descriptor) -> uniform(javaName(raw, descriptor)).equals(element))
				.findFirst()
				.orElse(null);
			if (match == null) {
				return unknownUnlessSwitch(name, i,
						properties.stream().map((descriptor) -> dashed(javaName(raw, descriptor))).toList());
			}
			current = type(match);
		}
		return null;
	}

	private static @Nullable Unknown unknownUnlessSwitch(ConfigurationPropertyName name, int index,
			List<String> candidates) {
		// a switch (ipc.dbus.enabled, the older ipc.shm.enabled) is read by a condition,
		// not bound
		boolean isSwitch = name.getLastElement(Form.UNIFORM).equals("enabled")
				&& (index <= 1 || index == name.getNumberOfElements() - 1);
		return isSwitch ? null : new Unknown(index, name.getElement(index, Form.DASHED), candidates);
	}

	private static boolean isOurs(Class<?> type) {
		return type.getName().startsWith("dev.ipcboot.") && !type.isEnum() && !type.isPrimitive();
	}

	/** The name a property binds under: its {@code @Name} if its field has one. */
	private static String javaName(Class<?> owner, PropertyDescriptor descriptor) {
		Field field = ReflectionUtils.findField(owner, descriptor.getName());
		Name renamed = (field != null) ? field.getAnnotation(Name.class) : null;
		return (renamed != null) ? renamed.value() : descriptor.getName();
	}

	private static List<PropertyDescriptor> properties(Class<?> type) {
		List<PropertyDescriptor> properties = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() != null && !descriptor.getName().equals("class")) {
				properties.add(descriptor);
			}
		}
		return properties;
	}

	private static ResolvableType type(PropertyDescriptor descriptor) {
		return ResolvableType.forMethodReturnType(descriptor.getReadMethod());
	}

	private static ConfigurationPropertyName prefix(Class<?> type) {
		ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
		String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
		return ConfigurationPropertyName.of(prefix);
	}

	private static String uniform(String javaName) {
		return javaName.toLowerCase(Locale.ROOT);
	}

	private static String dashed(String javaName) {
		StringBuilder dashed = new StringBuilder();
		for (char c : javaName.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

	/** The candidate within a small edit distance of the element, if any. */
	static @Nullable String closest(String element, List<String> candidates) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		String plain = element.replace("-", "");
		for (String candidate : candidates) {
			int distance = distance(plain, candidate.replace("-", ""));
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		int allowed = Math.max(2, plain.length() / 4);
		return (best != null && bestDistance <= allowed) ? best : null;
	}

	/** Levenshtein distance, a swap of two neighbours counting one. */
	private static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

	/** Where a name leaves the properties classes. */
	record Unknown(int index, String element, List<String> candidates) {
	}

}
