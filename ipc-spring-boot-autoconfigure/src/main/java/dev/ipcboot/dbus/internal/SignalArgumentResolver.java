package dev.ipcboot.dbus.internal;

import java.lang.reflect.Executable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

/**
 * Binds a signal listener's parameters to the signal's arguments in order: the first
 * parameter without {@code @Header}/{@code @Headers} that is not the message itself gets
 * argument 0, the next argument 1, and so on ({@code void prepare(boolean start)}). The
 * message payload is the argument array.
 */
final class SignalArgumentResolver implements HandlerMethodArgumentResolver {

	private static final ConversionService conversion = DefaultConversionService.getSharedInstance();

	private final Map<Executable, int[]> positions = new ConcurrentHashMap<>();

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return isArgument(parameter);
	}

	private static boolean isArgument(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return !parameter.hasParameterAnnotation(Header.class) && !parameter.hasParameterAnnotation(Headers.class)
				&& !Message.class.isAssignableFrom(type) && !MessageHeaders.class.isAssignableFrom(type);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		int position = this.positions.computeIfAbsent(parameter.getExecutable(),
				SignalArgumentResolver::positionsOf)[parameter.getParameterIndex()];
		Object[] args = (Object[]) message.getPayload();
		if (position >= args.length) {
			throw new MethodArgumentResolutionException(message, parameter, "the signal has " + args.length
					+ " argument(s), so parameter " + (parameter.getParameterIndex() + 1) + " has none to bind");
		}
		Object value = args[position];
		Class<?> type = parameter.getParameterType();
		if (value == null || type.isInstance(value)) {
			return value;
		}
		if (conversion.canConvert(value.getClass(), type)) {
			return conversion.convert(value, type);
		}
		throw new MethodArgumentResolutionException(message, parameter, "signal argument " + position + " is a "
				+ value.getClass().getName() + ", which does not convert to " + type.getName());
	}

	private static int[] positionsOf(Executable executable) {
		int[] positions = new int[executable.getParameterCount()];
		int next = 0;
		for (int i = 0; i < positions.length; i++) {
			positions[i] = isArgument(MethodParameter.forExecutable(executable, i)) ? next++ : -1;
		}
		return positions;
	}

}
