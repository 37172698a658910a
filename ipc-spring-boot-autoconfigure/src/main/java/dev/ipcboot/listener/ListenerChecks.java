package dev.ipcboot.listener;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.ValueConstants;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

import dev.ipcboot.IpcConfigurationException;

/**
 * Start-up checks of one listener against one channel, so that a listener that could
 * never work fails start-up with a message instead of failing every message.
 */
final class ListenerChecks {

	/**
	 * IpcHeaders constants by value, for messages ("ipc_peerUid" is IpcHeaders.PEER_UID).
	 */
	private static final Map<String, String> CONSTANTS = constants();

	private ListenerChecks() {
	}

	/**
	 * Fail if the method requires an {@link IpcHeaders} header that the channel never
	 * carries: a peer uid on a TCP server, a connection id on a D-Bus signal.
	 */
	static void checkHeaders(IpcListenerEndpoint endpoint, IpcChannel channel) {
		Set<String> carried = channel.headers();
		if (carried == null) {
			return;
		}
		Method method = endpoint.method();
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
			Header header = parameter.getParameterAnnotation(Header.class);
			if (header == null) {
				continue;
			}
			String name = header.name().isEmpty() ? header.value() : header.name();
			boolean required = header.required() && ValueConstants.DEFAULT_NONE.equals(header.defaultValue())
					&& !parameter.isOptional();
			if (!required || !CONSTANTS.containsKey(name) || carried.contains(name)) {
				continue;
			}
			String parameterName = (parameter.getParameterName() != null) ? parameter.getParameterName() : "#" + i;
			throw new IpcConfigurationException("@IpcListener on " + endpoint.describe(),
					"parameter '" + parameterName + "' requires header " + CONSTANTS.get(name) + " ('" + name
							+ "'), which channel '" + channel.name() + "' (" + channel.kind() + ", "
							+ channel.property() + ") never carries; it carries " + describe(carried),
					"Make the header optional, e.g. @Header(name = " + CONSTANTS.get(name)
							+ ", required = false) Integer value (null when absent), or listen to a channel that"
							+ " carries it.");
		}
	}

	/**
	 * Whether a payload of the method is to be validated ({@code @Valid},
	 * {@code @Validated} or an annotation whose name starts with "Valid", as
	 * {@code @MessageMapping} decides).
	 */
	static boolean validates(Method method) {
		for (Annotation[] annotations : method.getParameterAnnotations()) {
			for (Annotation annotation : annotations) {
				if (ValidationAnnotationUtils.determineValidationHints(annotation) != null) {
					return true;
				}
			}
		}
		return false;
	}

	/** Fail if the method validates a payload and the context has no validator. */
	static void checkValidator(IpcListenerEndpoint endpoint, @Nullable Object validator) {
		if (validator == null && validates(endpoint.method())) {
			throw new IpcConfigurationException("@IpcListener on " + endpoint.describe(),
					"a payload is annotated for validation (@Valid or @Validated) but the application has no"
							+ " Validator bean, so it would not be validated",
					"Add spring-boot-starter-validation (a Bean Validation provider such as Hibernate Validator),"
							+ " or remove the annotation.");
		}
	}

	private static String describe(Set<String> carried) {
		Set<String> names = new TreeSet<>();
		for (String header : carried) {
			names.add(CONSTANTS.getOrDefault(header, header));
		}
		return String.join(", ", names);
	}

	private static Map<String, String> constants() {
		Map<String, String> constants = new TreeMap<>();
		for (Field field : IpcHeaders.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				try {
					constants.put((String) field.get(null), "IpcHeaders." + field.getName());
				}
				catch (IllegalAccessException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return constants;
	}

}
