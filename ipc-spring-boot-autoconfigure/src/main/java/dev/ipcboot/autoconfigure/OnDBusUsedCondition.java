package dev.ipcboot.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
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
		else if (hasExports(context.getBeanFactory())) {
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

	private static boolean hasExports(ConfigurableListableBeanFactory beanFactory) {
		return beanFactory != null && beanFactory.getBeanNamesForAnnotation(DBusExport.class).length > 0;
	}

}
