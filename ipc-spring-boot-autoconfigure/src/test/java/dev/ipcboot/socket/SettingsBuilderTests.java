package dev.ipcboot.socket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The settings builders that customizers receive: an unchanged builder gives equal
 * settings, a change is kept, and a value the properties would refuse is refused with a
 * message naming it.
 */
class SettingsBuilderTests {

	private final SocketServerSettings server = new SocketServerSettings("orders",
			new ServerBinding.Local("/tmp/orders.sock", "path", false, SocketPermissions.USER, Set.of()), Framing.LINE,
			1024, 16, 4, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(10), 64 * 1024);

	private final IpcClientSettings client = new IpcClientSettings("orders",
			ClientEndpoint.local(Path.of("/tmp/orders.sock")), Framing.LINE, 1024, Duration.ofSeconds(5),
			Duration.ofSeconds(10), 8);

	@Test
	void unchangedBuildersGiveEqualSettings() {
		assertThat(this.server.toBuilder().build()).isEqualTo(this.server);
		assertThat(this.client.toBuilder().build()).isEqualTo(this.client);
	}

	@Test
	void changesAreKeptAndTheRestStays() {
		SocketServerSettings changed = this.server.toBuilder()
			.maxMessageSize(2048)
			.binding(((ServerBinding.Local) this.server.binding()).withAllowedUids(Set.of(1000)))
			.build();
		assertThat(changed.maxMessageSize()).isEqualTo(2048);
		assertThat(((ServerBinding.Local) changed.binding()).allowedUids()).containsExactly(1000);
		assertThat(changed.toBuilder().maxMessageSize(1024).binding(this.server.binding()).build())
			.isEqualTo(this.server);
		assertThat(this.client.toBuilder().poolSize(2).build().poolSize()).isEqualTo(2);
	}

	@Test
	void zeroMaxMessageSizeIsRefusedNamingIt() {
		assertRefused((builder) -> builder.maxMessageSize(0), "maxMessageSize");
	}

	@Test
	void maxMessageSizeOverTheLimitIsRefusedNamingIt() {
		assertRefused((builder) -> builder.maxMessageSize(Integer.MAX_VALUE).maxBufferedBytes(Long.MAX_VALUE),
				"maxMessageSize");
	}

	@Test
	void zeroMaxConnectionsPerPeerIsRefusedNamingIt() {
		assertRefused((builder) -> builder.maxConnectionsPerPeer(0), "maxConnectionsPerPeer");
	}

	@Test
	void maxBufferedBytesBelowMaxMessageSizeIsRefusedNamingBoth() {
		assertRefused((builder) -> builder.maxBufferedBytes(512), "maxBufferedBytes must be at least maxMessageSize");
	}

	@Test
	void negativeIdleTimeoutAndZeroWriteTimeoutAreRefused() {
		assertRefused((builder) -> builder.idleTimeout(Duration.ofSeconds(-1)), "idleTimeout");
		assertRefused((builder) -> builder.writeTimeout(Duration.ZERO), "writeTimeout");
	}

	@Test
	void zeroPoolSizeOfAClientIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.toBuilder().poolSize(0).build())
			.withMessageContaining("poolSize");
	}

	@Test
	void subscriptionOnAClientThatDoesNotSubscribeIsRefusedNamingTheClient() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.client.toBuilder()
				.subscription(new IpcClientSettings.Subscription(Duration.ofMillis(100), Duration.ofSeconds(1))))
			.withMessageContaining("'orders' does not subscribe");
	}

	private void assertRefused(UnaryOperator<SocketServerSettings.Builder> change, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> change.apply(this.server.toBuilder()).build())
			.withMessageContaining(message);
	}

}
