package dev.ipcboot.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;

/**
 * Health of one {@link IpcResource}: its status mapped to Actuator's status of the same
 * name, with the kind, the reason (when not up) and the resource's details.
 */
final class IpcResourceHealthIndicator implements HealthIndicator {

	private final IpcResource resource;

	/**
	 * Create an indicator.
	 * @param resource the resource
	 */
	IpcResourceHealthIndicator(IpcResource resource) {
		this.resource = resource;
	}

	@Override
	public Health health() {
		IpcResourceState state;
		try {
			state = this.resource.state();
		}
		catch (RuntimeException ex) {
			// the contract says state() does not throw; one that does must not hide the
			// other resources, so it is reported on this indicator alone
			return Health.unknown().withDetail("kind", this.resource.kind()).withException(ex).build();
		}
		Health.Builder builder = Health.status(status(state)).withDetail("kind", this.resource.kind());
		if (state.reason() != null) {
			builder.withDetail("reason", state.reason());
		}
		return builder.withDetails(state.details()).build();
	}

	static Status status(IpcResourceState state) {
		return switch (state.status()) {
			case UP -> Status.UP;
			case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
			case DOWN -> Status.DOWN;
			case UNKNOWN -> Status.UNKNOWN;
		};
	}

}
