package dev.ipcboot.listener;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@link IpcListener} method found on a bean, with its resolved channel names.
 *
 * @param bean the bean that declares the method
 * @param method the method to invoke
 * @param channels the channel names, placeholders resolved
 */
public record IpcListenerEndpoint(Object bean, Method method, List<String> channels) {

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
