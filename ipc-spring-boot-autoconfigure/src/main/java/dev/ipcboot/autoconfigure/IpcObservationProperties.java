package dev.ipcboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Observation settings of the starter ({@code ipc.observation}).
 */
@ConfigurationProperties("ipc.observation")
public class IpcObservationProperties {

	/**
	 * Whether to record listener invocations and client requests as Micrometer
	 * observations (timers and, with a tracer, spans) instead of plain timers. Needs a
	 * MeterRegistry and an ObservationRegistry.
	 */
	private boolean enabled = false;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
