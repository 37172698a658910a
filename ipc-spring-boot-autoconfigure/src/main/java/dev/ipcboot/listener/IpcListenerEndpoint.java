package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@link IpcListener} method found on a bean, with its resolved channel names and
 * lifecycle settings.
 *
 * @param bean the bean that declares the method
 * @param method the method to invoke
 * @param channels the channel names, placeholders resolved
 * @param id the identifier in the {@link IpcListenerEndpointRegistry}, placeholders
 * resolved; empty for one derived from the method
 * @param autoStartup whether the listener starts with the application
 * @param errorHandler the name of its own {@link IpcErrorHandler} bean, or empty for the
 * global one
 */
public record IpcListenerEndpoint(Object bean, Method method, List<String> channels, String id, boolean autoStartup,
		String errorHandler) {

	/**
	 * Create an endpoint with a derived id that starts with the application and uses the
	 * global error handler.
	 * @param bean the bean that declares the method
	 * @param method the method to invoke
	 * @param channels the channel names, placeholders resolved
	 */
	public IpcListenerEndpoint(Object bean, Method method, List<String> channels) {
		this(bean, method, channels, "", true, "");
	}

	/**
	 * Describe the method for messages: {@code com.example.Orders.handle(Order, int)}.
	 * @return a description
	 */
	public String describe() {
		String parameters = Arrays.stream(this.method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", "));
		return this.method.getDeclaringClass().getName() + "." + this.method.getName() + "(" + parameters + ")";
	}

}
