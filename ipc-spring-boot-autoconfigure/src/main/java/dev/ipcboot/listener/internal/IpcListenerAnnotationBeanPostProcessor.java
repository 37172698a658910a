package dev.ipcboot.listener.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpoint;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;

/**
 * Finds {@link IpcListener} methods on every bean, resolves their channel names and
 * registers them with the {@link IpcListenerEndpointRegistry}, as Spring Kafka's
 * {@code KafkaListenerAnnotationBeanPostProcessor} does for {@code @KafkaListener}.
 * Created by the auto-configuration; internal: no compatibility promise, see ADR 0019.
 */
public class IpcListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private final Set<Class<?>> classesWithoutListeners = ConcurrentHashMap.newKeySet();

	private @Nullable ConfigurableBeanFactory beanFactory;

	private @Nullable IpcListenerEndpointRegistry registry;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.beanFactory = configurable;
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (isInfrastructure(targetClass) || this.classesWithoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, IpcListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<IpcListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, IpcListener.class));
		if (methods.isEmpty()) {
			this.classesWithoutListeners.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String id = resolve(annotation.id());
			if (id.isEmpty()) {
				id = beanName + "." + method.getName();
			}
			registry().register(new IpcListenerEndpoint(bean, invocable, resolveChannels(annotation), id,
					annotation.autoStartup(), resolve(annotation.errorHandler())));
		});
		return bean;
	}

	/**
	 * Whether the class belongs to a framework whose own classes never declare listener
	 * methods (an application class that extends one has its own name): most beans of an
	 * application are such classes, and looking through their methods is a measurable
	 * part of start-up.
	 */
	private static boolean isInfrastructure(Class<?> type) {
		String name = type.getName();
		return name.startsWith("org.springframework.") || name.startsWith("java.") || name.startsWith("jakarta.")
				|| name.startsWith("tools.jackson.") || name.startsWith("com.fasterxml.jackson.")
				|| name.startsWith("io.micrometer.");
	}

	private String resolve(String value) {
		String resolved = (this.beanFactory != null && !value.isEmpty()) ? this.beanFactory.resolveEmbeddedValue(value)
				: value;
		return (resolved != null) ? resolved.trim() : "";
	}

	private List<String> resolveChannels(IpcListener annotation) {
		List<String> channels = new ArrayList<>();
		for (String value : annotation.value()) {
			String resolved = (this.beanFactory != null) ? this.beanFactory.resolveEmbeddedValue(value) : value;
			if (StringUtils.hasText(resolved)) {
				for (String name : StringUtils.commaDelimitedListToStringArray(resolved)) {
					channels.add(name.trim());
				}
			}
		}
		return channels;
	}

	private IpcListenerEndpointRegistry registry() {
		if (this.registry == null) {
			if (this.beanFactory == null) {
				throw new IllegalStateException("IpcListenerAnnotationBeanPostProcessor needs a bean factory");
			}
			this.registry = this.beanFactory.getBean(IpcListenerEndpointRegistry.class);
		}
		return this.registry;
	}

}
