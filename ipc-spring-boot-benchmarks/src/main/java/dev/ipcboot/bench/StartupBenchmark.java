package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 10: start-up. The time from {@code SpringApplication.run} to a ready context,
 * measured once in each of several fresh JVMs (cold, as an application starts). The
 * starter side runs the application with the starter's auto-configuration and either
 * nothing configured ({@code facilities=none}) or one of each facility
 * ({@code facilities=all}: a local and a TCP server with a listener, a client, a
 * shared-memory segment, a semaphore, a private D-Bus bus, a process, session events).
 * The baseline is the same application, with the same arguments, with every
 * auto-configuration of the starter excluded, which is what it costs without the starter
 * (the jar still on the class path). A cold start on this 2-core machine varies by about
 * 100 ms from one JVM to the next, so each side runs in ten forks: with five the 99.9%
 * interval (Student's t with 4 degrees of freedom) was as wide as the starter's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(10)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class StartupBenchmark {

	static final String EXCLUDE = "--spring.autoconfigure.exclude="
			+ "dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SocketAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SharedMemoryAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SemaphoreAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.DBusAutoConfiguration," + "dev.ipcboot.autoconfigure.ProcessAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SessionAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.IpcHealthContributorAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.IpcEndpointAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.HttpAutoConfiguration";

	@Param({ "none", "all" })
	public String facilities;

	private Path dir;

	private ConfigurableApplicationContext context;

	@Setup(Level.Iteration)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("ipc-bench");
	}

	@TearDown(Level.Iteration)
	public void tearDown() throws IOException {
		if (this.context != null) {
			this.context.close();
		}
		Apps.delete(this.dir);
	}

	@Benchmark
	public ConfigurableApplicationContext baselineStartup() {
		List<String> args = arguments(this.facilities, this.dir);
		args.add(EXCLUDE);
		this.context = Apps.run(dev.ipcboot.bench.startup.StartupApplication.class, args.toArray(String[]::new));
		return this.context;
	}

	@Benchmark
	public ConfigurableApplicationContext starterStartup() {
		this.context = Apps.run(dev.ipcboot.bench.startup.StartupApplication.class,
				arguments(this.facilities, this.dir).toArray(String[]::new));
		return this.context;
	}

	// the baseline gets them too, so that it differs from the starter's application only
	// by the excluded auto-configurations (the echo bean and the property sources
	// included)
	static List<String> arguments(String facilities, Path dir) {
		List<String> args = new ArrayList<>();
		if (facilities.equals("all")) {
			String unique = "ipcbench_start_" + ProcessHandle.current().pid();
			args.addAll(
					List.of("--ipc.servers.local.path=" + dir.resolve("local.sock"), "--ipc.servers.tcp.transport=tcp",
							"--ipc.servers.tcp.port=0", "--ipc.clients.client.path=" + dir.resolve("local.sock"),
							"--ipc.shared-memory.memory.key=" + unique, "--ipc.shared-memory.memory.size=4KB",
							"--ipc.semaphores.semaphore.key=" + unique, "--ipc.semaphores.semaphore.initial-value=1",
							"--ipc.dbus.bus=private", "--ipc.processes.sleeper.command[0]=/bin/sleep",
							"--ipc.processes.sleeper.command[1]=60", "--ipc.processes.sleeper.restart=never",
							"--ipc.processes.sleeper.stop-timeout=1s"));
		}
		return args;
	}

}
