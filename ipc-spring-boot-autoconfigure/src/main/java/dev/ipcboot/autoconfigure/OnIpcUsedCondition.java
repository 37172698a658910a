package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnIpcUsed}: the property names first, then what the
 * bean definitions declare ({@link IpcUsage}).
 */
class OnIpcUsedCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnIpcUsed.class.getName());
		boolean session = attributes != null && Boolean.TRUE.equals(attributes.get("session"));
		return session ? sessionOutcome(context) : infrastructureOutcome(context);
	}

	private static ConditionOutcome infrastructureOutcome(ConditionContext context) {
		String property = IpcUsage.facilityProperty(context.getEnvironment());
		if (property != null) {
			return ConditionOutcome.match(property + " is set");
		}
		IpcUsage.Scan scan = IpcUsage.scan(context.getBeanFactory(), context.getResourceLoader(),
				context.getClassLoader());
		if (scan.listenerMethods) {
			return ConditionOutcome.match("a bean has @IpcListener methods");
		}
		if (scan.exports) {
			return ConditionOutcome.match("a bean is annotated with @DBusExport");
		}
		if (scan.facilities) {
			return ConditionOutcome.match("a bean is an IpcChannelSource");
		}
		return ConditionOutcome.noMatch("no ipc property is set, no bean has @IpcListener methods,"
				+ " no bean is annotated with @DBusExport and no bean is a channel source");
	}

	private static ConditionOutcome sessionOutcome(ConditionContext context) {
		String property = IpcUsage.sessionProperty(context.getEnvironment());
		if (property != null) {
			return ConditionOutcome.match(property + " is set");
		}
		String notifySocket = context.getEnvironment().getProperty(SessionSystemdConfiguration.NOTIFY_SOCKET);
		if (notifySocket != null && !notifySocket.isBlank()) {
			return ConditionOutcome.match("NOTIFY_SOCKET is set");
		}
		IpcUsage.Scan scan = IpcUsage.scan(context.getBeanFactory(), context.getResourceLoader(),
				context.getClassLoader());
		if (scan.sessionListener) {
			return ConditionOutcome.match("a listener of session events exists");
		}
		return ConditionOutcome.noMatch("no ipc.session property, no NOTIFY_SOCKET and no listener of session events");
	}

}
