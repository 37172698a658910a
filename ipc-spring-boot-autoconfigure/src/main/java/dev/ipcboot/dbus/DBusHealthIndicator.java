package dev.ipcboot.dbus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the application's bus connection: up while connected (or not yet needed,
 * since the connection is made on first use), down while the bus is gone and the starter
 * reconnects.
 */
public class DBusHealthIndicator implements HealthIndicator {

	private final BusConnection connection;

	/**
	 * Create the indicator.
	 * @param connection the connection to report on
	 */
	public DBusHealthIndicator(BusConnection connection) {
		this.connection = connection;
	}

	@Override
	public Health health() {
		DBusSettings settings = this.connection.settings();
		Health.Builder builder = switch (this.connection.state()) {
			case CONNECTED -> Health.up().withDetail("uniqueName", this.connection.uniqueName());
			case NOT_CONNECTED -> Health.up().withDetail("connected", "on first use");
			case RECONNECTING -> Health.down().withDetail("connected", "lost; reconnecting");
			case CLOSED -> Health.outOfService();
		};
		builder.withDetail("bus", settings.bus());
		if (settings.serviceName() != null) {
			builder.withDetail("serviceName", settings.serviceName());
		}
		return builder.build();
	}

}
