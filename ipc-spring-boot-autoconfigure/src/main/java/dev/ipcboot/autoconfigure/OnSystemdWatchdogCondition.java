package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when systemd asked this process for watchdog heartbeats: {@code WATCHDOG_USEC}
 * is positive and {@code WATCHDOG_PID}, if set, is our pid.
 */
class OnSystemdWatchdogCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (SessionSystemdConfiguration.watchdogInterval(context.getEnvironment()) == null) {
			return ConditionOutcome.noMatch("WATCHDOG_USEC is not set for this process");
		}
		return ConditionOutcome.match("WATCHDOG_USEC is set for this process");
	}

}
