package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code ipc} actuator endpoint, which lists every channel and
 * resource with its state; available when Actuator is present and the endpoint is exposed
 * ({@code management.endpoints.web.exposure.include=ipc}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class)
@ConditionalOnClass(
		name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@Import(IpcEndpointConfiguration.class)
@ConditionalOnIpcUsed
public final class IpcEndpointAutoConfiguration {

}
