package dev.ipcboot.bench.startup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.listener.IpcListener;

/**
 * The application whose start-up {@link dev.ipcboot.bench.StartupBenchmark},
 * {@link dev.ipcboot.bench.StartupBreakdown} and
 * {@link dev.ipcboot.bench.StartupComparison} measure: no bean of its own, so that the
 * same class runs with and without the starter, except a listener on the local server
 * when the starter's properties configure one of each facility. It has a package of its
 * own because Boot scans the application's package (for {@code @JsonMixin} classes, for
 * example), and the benchmark package holds classes of every library.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class StartupApplication {

	@Bean
	@ConditionalOnProperty(name = "ipc.servers.local.path")
	Echo echo() {
		return new Echo();
	}

	/** Echoes lines on the local server. */
	public static class Echo {

		@IpcListener("local")
		public byte[] echo(byte[] line) {
			return line;
		}

	}

}
