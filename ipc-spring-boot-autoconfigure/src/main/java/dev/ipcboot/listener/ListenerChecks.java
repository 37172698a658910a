package dev.ipcboot.listener;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
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
	 * The prefix of the headers the starter sets (every facility's), which channels
	 * declare in {@link IpcChannel#headers()}; other headers are not checked.
	 */
	private static final String PREFIX = IpcHeaders.CHANNEL.substring(0, IpcHeaders.CHANNEL.indexOf('_') + 1);

	private ListenerChecks() {
	}

	/**
	 * Fail if the method requires a header of the starter ({@code ipc_...}, declared by
	 * the facilities) that the channel never carries: a peer uid on a TCP server, a
	 * connection id on a D-Bus signal. Nothing here knows which facility sets which.
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
			if (!required || !name.startsWith(PREFIX) || carried.contains(name)) {
				continue;
			}
			String parameterName = (parameter.getParameterName() != null) ? parameter.getParameterName() : "#" + i;
			throw new IpcConfigurationException("@IpcListener on " + endpoint.describe(),
					"parameter '" + parameterName + "' requires header '" + name + "', which channel '" + channel.name()
							+ "' (" + channel.kind() + ", " + channel.property() + ") never carries; it carries "
							+ String.join(", ", new TreeSet<>(carried)),
					"Make the header optional, e.g. @Header(name = \"" + name
							+ "\", required = false) Integer value (null when absent), or listen to a channel that"
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

}
