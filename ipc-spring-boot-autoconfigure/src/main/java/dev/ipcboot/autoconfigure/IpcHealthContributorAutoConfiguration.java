package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code ipc} health contributor, one indicator per resource of
 * every facility; switched off with {@code management.health.ipc.enabled=false}.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(
		name = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
@Import(IpcHealthContributorConfiguration.class)
@ConditionalOnIpcUsed
public final class IpcHealthContributorAutoConfiguration {

}
