package dev.ipcboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

import dev.ipcboot.dbus.DBusExport;

/**
 * Matches when the application uses D-Bus at start-up, a property below {@code ipc.dbus}
 * is set or a bean is annotated with {@link DBusExport}, and dbus-java with its
 * junixsocket transport is on the class path (checked only then, so that an application
 * without D-Bus loads no class of it).
 */
class OnDBusUsedCondition extends SpringBootCondition implements ConfigurationCondition {

	static final String DBUS_CONNECTION = "org.freedesktop.dbus.connections.impl.DBusConnection";

	static final String JUNIXSOCKET_ADDRESS = "org.freedesktop.dbus.transport.junixsocket.JUnixSocketBusAddress";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String why;
		if (OnIpcConfiguredCondition.isConfigured(context.getEnvironment(), DBusConfiguration.PROPERTY)) {
			why = "ipc.dbus is configured";
		}
		else if (hasExports(context.getBeanFactory(), context.getClassLoader())) {
			why = "a bean is annotated with @DBusExport";
		}
		else {
			return ConditionOutcome
				.noMatch("nothing is configured under ipc.dbus and no bean is annotated with @DBusExport");
		}
		for (String required : new String[] { DBUS_CONNECTION, JUNIXSOCKET_ADDRESS }) {
			if (!ClassUtils.isPresent(required, context.getClassLoader())) {
				return ConditionOutcome.noMatch(why + ", but " + required + " is not on the class path");
			}
		}
		return ConditionOutcome.match(why);
	}

	/**
	 * Whether a bean definition's class carries {@link DBusExport}. Cheaper than
	 * {@code getBeanNamesForAnnotation}, which predicts the type of every bean (this runs
	 * in every application that does not configure D-Bus): a definition's class is read
	 * from its annotation metadata, its bean class or its factory method's return type,
	 * and the framework's own classes are skipped.
	 */
	static boolean hasExports(@Nullable ConfigurableListableBeanFactory beanFactory,
			@Nullable ClassLoader classLoader) {
		if (beanFactory == null) {
			return false;
		}
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated && definition.getFactoryMethodName() == null
					&& annotated.getMetadata().hasAnnotation(DBusExport.class.getName())) {
				return true;
			}
			String type = typeName(definition);
			if (type == null || type.startsWith("org.springframework.") || type.startsWith("java.")) {
				continue;
			}
			try {
				if (AnnotatedElementUtils.hasAnnotation(ClassUtils.forName(type, classLoader), DBusExport.class)) {
					return true;
				}
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// not a class this check can see; the bean is looked at again when
				// exported
			}
		}
		return false;
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

}
