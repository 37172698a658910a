package dev.ipcboot.aot;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.MessageMappingReflectiveProcessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcConnection;

/**
 * Registers reflection hints for the {@link IpcListener} methods of a bean, the way
 * {@code @MessageMapping} methods get them: the method is invoked reflectively, and its
 * payload parameter and return type are bound by Jackson (constructors, fields, getters
 * and setters of the types and the types they contain).
 */
class IpcListenerAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		List<Method> listeners = listenerMethods(beanClass);
		if (listeners.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			ReflectionHints reflection = generationContext.getRuntimeHints().reflection();
			reflection.registerType(beanClass);
			ListenerMethodProcessor processor = new ListenerMethodProcessor();
			listeners.forEach((method) -> processor.registerReflectionHints(reflection, method));
		};
	}

	static List<Method> listenerMethods(Class<?> beanClass) {
		List<Method> methods = new ArrayList<>();
		try {
			ReflectionUtils.doWithMethods(beanClass, methods::add,
					(method) -> !method.isBridge() && AnnotatedElementUtils.hasAnnotation(method, IpcListener.class));
		}
		catch (IllegalStateException | LinkageError ex) {
			// a class whose methods name an absent optional library; the listener
			// post-processor cannot see listeners there either
			return List.of();
		}
		return methods;
	}

	/**
	 * Spring Messaging's processor, told which parameters are not payloads here: the
	 * connection, and the byte types that are passed as they are.
	 */
	private static final class ListenerMethodProcessor extends MessageMappingReflectiveProcessor {

		@Override
		protected boolean couldBePayload(MethodParameter parameter) {
			Class<?> type = parameter.getParameterType();
			return super.couldBePayload(parameter) && !IpcConnection.class.isAssignableFrom(type)
					&& type != byte[].class && type != ByteBuffer.class;
		}

	}

}
