package dev.ipcboot.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.ipcboot.socket.shm.ShmClientSettings;
import dev.ipcboot.socket.shm.ShmServerSettings;
import dev.ipcboot.socket.udp.UdpClientSettings;
import dev.ipcboot.socket.udp.UdpServerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The builders of the udp and shm settings records: unchanged they rebuild equal
 * settings, changed they keep the name and what the properties place, and values the
 * properties would refuse are refused with the component named.
 */
class TransportSettingsBuilderTests {

	private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

	private final UdpServerSettings udpServer = new UdpServerSettings("quotes", LOOPBACK, null, null, 1024, 0, 0);

	private final UdpClientSettings udpClient = new UdpClientSettings("quotes", LOOPBACK, false, null, 1, true, 1024,
			Duration.ofSeconds(2), 0);

	private final ShmServerSettings shmServer = new ShmServerSettings("quotes", Path.of("/tmp/quotes.sock"), 4096, 0,
			1024, 8, Set.of(), Duration.ofSeconds(10));

	private final ShmClientSettings shmClient = new ShmClientSettings("quotes", Path.of("/tmp/quotes.sock"), 0,
			Duration.ofSeconds(5), Duration.ofSeconds(5), 2);

	@Test
	void unchangedBuildersRebuildEqualSettings() {
		assertThat(this.udpServer.toBuilder().build()).isEqualTo(this.udpServer);
		assertThat(this.udpClient.toBuilder().build()).isEqualTo(this.udpClient);
		assertThat(this.shmServer.toBuilder().build()).isEqualTo(this.shmServer);
		assertThat(this.shmClient.toBuilder().build()).isEqualTo(this.shmClient);
	}

	@Test
	void changedBuildersKeepTheNameAndTheAddresses() {
		UdpServerSettings udp = this.udpServer.toBuilder().maxMessageSize(16).receiveBufferSize(4096).build();
		assertThat(udp).isEqualTo(new UdpServerSettings("quotes", LOOPBACK, null, null, 16, 4096, 0));
		ShmServerSettings shm = this.shmServer.toBuilder().ringCapacity(8192).allowedUids(Set.of(1000)).build();
		assertThat(shm.name()).isEqualTo("quotes");
		assertThat(shm.path()).isEqualTo(Path.of("/tmp/quotes.sock"));
		assertThat(shm.ringCapacity()).isEqualTo(8192);
		assertThat(shm.allowedUids()).containsExactly(1000);
		ShmClientSettings client = this.shmClient.toBuilder().path(Path.of("/run/other.sock")).poolSize(4).build();
		assertThat(client.path()).isEqualTo(Path.of("/run/other.sock"));
		assertThat(client.poolSize()).isEqualTo(4);
		assertThat(client.subscribe()).isFalse();
	}

	@Test
	void udpMaxMessageSizeOverADatagramIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.udpServer.toBuilder().maxMessageSize(UdpServerSettings.MAX_DATAGRAM + 1).build())
			.withMessageContaining("maxMessageSize");
		assertThatIllegalArgumentException().isThrownBy(() -> this.udpClient.toBuilder().maxMessageSize(0).build())
			.withMessageContaining("maxMessageSize");
	}

	@Test
	void udpClientZeroRequestTimeoutIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.udpClient.toBuilder().requestTimeout(Duration.ZERO).build())
			.withMessageContaining("requestTimeout");
	}

	@Test
	void shmNegativeSpinAndRingNotAPowerOfTwoAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.shmServer.toBuilder().ringCapacity(6000).build())
			.withMessageContaining("ringCapacity");
		assertThatIllegalArgumentException().isThrownBy(() -> this.shmClient.toBuilder().spin(-1).build())
			.withMessageContaining("spin");
	}

	@Test
	void shmClientRelativePathIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.shmClient.toBuilder().path(Path.of("quotes.sock")).build())
			.withMessageContaining("path");
	}

}
