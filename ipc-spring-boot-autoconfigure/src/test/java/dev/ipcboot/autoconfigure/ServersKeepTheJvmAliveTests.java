package dev.ipcboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.ipcboot.socket.shm.internal.ShmServers;
import dev.ipcboot.socket.udp.internal.UdpServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose only servers are {@code transport: udp} or {@code transport: shm}
 * keeps running after {@code main} returns: their receiving threads are daemons and no
 * socket engine (whose event loops are not) runs, so the servers hold one thread that is
 * not a daemon while they run, and end it when the context closes. Before it, the
 * README's UDP example exited right after "Started ...".
 */
class ServersKeepTheJvmAliveTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class,
				IpcMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void aUdpOnlyServerHoldsOneNonDaemonThreadWhileItRunsAndNoneAfterClose() {
		this.runner.withPropertyValues("ipc.servers.quotes.transport=udp", "ipc.servers.quotes.port=0")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(UdpServers.class);
				assertThat(nonDaemon("ipc-udp-")).containsExactly("ipc-udp-keepalive");
			});
		// the keep-alive thread is interrupted and joined for at most 1 s on stop: a
		// stalled machine may schedule its end later
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nonDaemon("ipc-udp-")).as("after close").isEmpty());
	}

	@Test
	void anShmOnlyServerHoldsOneNonDaemonThreadWhileItRunsAndNoneAfterClose() {
		this.runner
			.withPropertyValues("ipc.servers.quotes.transport=shm",
					"ipc.servers.quotes.path=" + this.dir.resolve("quotes.sock"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ShmServers.class);
				assertThat(nonDaemon("ipc-shm-")).containsExactly("ipc-shm-keepalive");
			});
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(nonDaemon("ipc-shm-")).as("after close").isEmpty());
	}

	/** Live threads with that prefix that keep the JVM alive. */
	private static List<String> nonDaemon(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && !thread.isDaemon() && thread.getName().startsWith(prefix))
			.map(Thread::getName)
			.sorted()
			.toList();
	}

}
