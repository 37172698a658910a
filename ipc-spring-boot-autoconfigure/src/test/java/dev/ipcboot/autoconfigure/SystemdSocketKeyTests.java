package dev.ipcboot.autoconfigure;

import org.junit.jupiter.api.Test;

import dev.ipcboot.socket.SocketActivation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §11's {@code systemd-socket: <name>} and the deprecated {@code activation-name}:
 * which socket is adopted, and whether activation is on without {@code activation}.
 */
class SystemdSocketKeyTests {

	private final SocketServerProperties.Server server = new SocketServerProperties.Server();

	private SocketActivation activation() {
		return SocketServerSettingsFactory.activation("orders", "ipc.servers.orders", this.server);
	}

	@Test
	void withNeitherKeyNothingIsAdoptedAndTheServersNameIsLookedFor() {
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.NONE, "orders"));
	}

	@Test
	void systemdSocketAloneAdoptsThatSocketWhenPassedAndBindsOtherwise() {
		this.server.setSystemdSocket("orders-v2");
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.OPTIONAL, "orders-v2"));
	}

	@Test
	void systemdSocketWithActivationRequiredFailsWithoutThatSocket() {
		this.server.setSystemdSocket("orders-v2");
		this.server.setActivation(SocketActivation.Mode.REQUIRED);
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.REQUIRED, "orders-v2"));
	}

	@Test
	@SuppressWarnings("deprecation")
	void deprecatedActivationNameStillNamesTheSocketButDoesNotTurnActivationOn() {
		this.server.setActivationName("legacy");
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.NONE, "legacy"));
		this.server.setActivation(SocketActivation.Mode.OPTIONAL);
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.OPTIONAL, "legacy"));
	}

	@Test
	@SuppressWarnings("deprecation")
	void activationNameEqualToSystemdSocketIsAccepted() {
		this.server.setSystemdSocket("same");
		this.server.setActivationName("same");
		assertThat(activation()).isEqualTo(new SocketActivation(SocketActivation.Mode.OPTIONAL, "same"));
	}

}
