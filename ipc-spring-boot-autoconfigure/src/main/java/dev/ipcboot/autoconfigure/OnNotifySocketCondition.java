package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when {@code NOTIFY_SOCKET} (an environment variable, or a property of that
 * name) holds a Unix socket address: an absolute path or {@code @name}, and junixsocket,
 * which sends the datagrams, is on the class path (looked for only then, so that an
 * application outside systemd loads none of it).
 */
class OnNotifySocketCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String value = context.getEnvironment().getProperty(SessionSystemdConfiguration.NOTIFY_SOCKET);
		if (value == null || value.isBlank()) {
			return ConditionOutcome.noMatch("NOTIFY_SOCKET is not set");
		}
		if (!isUnixAddress(value)) {
			return ConditionOutcome.noMatch("NOTIFY_SOCKET=" + value + " is not a Unix socket address");
		}
		if (!ClassUtils.isPresent(SessionStartupReport.JUNIXSOCKET_CLASS, context.getClassLoader())) {
			return ConditionOutcome.noMatch("NOTIFY_SOCKET=" + value + ", but junixsocket is not on the class path");
		}
		return ConditionOutcome.match("NOTIFY_SOCKET=" + value);
	}

	static boolean isUnixAddress(String value) {
		return value.startsWith("/") || (value.startsWith("@") && value.length() > 1);
	}

}
