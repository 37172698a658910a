package dev.ipcboot.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the starter costs an application that configures nothing, checked in a fresh child
 * JVM (the only place where the loaded classes are those of one start-up):
 * {@code -Xlog:class+load} lists every class the JVM loaded, and the application itself
 * reports the threads and sockets that appeared during the run and the signal handlers in
 * place. The test class path has every library of the starter, so each of them could be
 * loaded.
 */
class NothingConfiguredStartupTests {

	private static final List<String> FOREIGN = List.of("com.sun.jna.", "org.freedesktop.", "io.netty.",
			"org.springframework.integration.");

	private static final String EXCLUDE_STARTER = "--spring.autoconfigure.exclude="
			+ "dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration,dev.ipcboot.autoconfigure.SocketAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SharedMemoryAutoConfiguration,dev.ipcboot.autoconfigure.SemaphoreAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.DBusAutoConfiguration,dev.ipcboot.autoconfigure.ProcessAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.SessionAutoConfiguration,dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.IpcHealthContributorAutoConfiguration,"
			+ "dev.ipcboot.autoconfigure.IpcEndpointAutoConfiguration,dev.ipcboot.autoconfigure.HttpAutoConfiguration";

	/**
	 * The only bean definitions of ours without configuration: the lazy
	 * {@code ProcessManager} for ad-hoc processes (SPEC §6, ADR 0011) and what it needs,
	 * with the configuration classes that declare them.
	 */
	private static final String[] AD_HOC_PROCESSES = { "dev.ipcboot.autoconfigure.ProcessAutoConfiguration",
			"dev.ipcboot.autoconfigure.ProcessManagerOnDemandConfiguration", "ipcOnDemandProcessManager",
			"ipcProcessManager", "ipcProcessResources" };

	@TempDir
	Path directory;

	@Test
	void nothingConfiguredLoadsNoLibraryStartsNoThreadOpensNoSocketAndInstallsNoSignalHandler() throws Exception {
		Run run = run("plain");
		// the test class path also holds Boot's own reactive and web libraries, whose
		// auto-configurations load a Netty class or open a socket of their own: compare
		// with the same application without the starter's auto-configurations
		Run without = run("plain", EXCLUDE_STARTER);
		assertThat(run.classesOf(FOREIGN)).as("classes of JNA, dbus-java, Netty, Spring Integration")
			.containsExactlyInAnyOrderElementsOf(without.classesOf(FOREIGN))
			.noneMatch((name) -> name.startsWith("com.sun.jna.") || name.startsWith("org.freedesktop."));
		assertThat(run.classesOf(List.of("dev.ipcboot.socket.", "dev.ipcboot.shm.", "dev.ipcboot.semaphore.",
				"dev.ipcboot.internal.natives.", "dev.ipcboot.http.")))
			.as("classes of the facilities nobody configured")
			.isEmpty();
		assertThat(run.report.get("threads")).as("threads started during the run and still alive")
			.isEqualTo(without.report.get("threads"));
		assertThat(run.report.get("sockets")).as("sockets opened during the run")
			.isEqualTo(without.report.get("sockets"));
		for (String signal : List.of("TERM", "INT", "HUP")) {
			assertThat(run.report.get("signal." + signal)).doesNotStartWith("dev.ipcboot");
		}
		assertThat(run.classesOf(List.of("dev.ipcboot.session.", "dev.ipcboot.listener.")))
			.as("classes of the session and listener infrastructure nobody asked for")
			.isEmpty();
		assertThat(run.report.get("beans").split(",")).as("bean definitions of ours")
			.containsExactlyInAnyOrder(AD_HOC_PROCESSES);
	}

	@Test
	void listenerOfTheShutdownEventInstallsTheSignalHandlersButLoadsNoLibrary() throws Exception {
		// logind is switched off here: this machine may have a system bus
		Run run = run("listener", "--ipc.session.logind.enabled=false");
		for (String signal : List.of("TERM", "INT", "HUP")) {
			assertThat(run.report.get("signal." + signal))
				.startsWith("dev.ipcboot.session.internal.TerminationSignals");
		}
		assertThat(run.classesOf(FOREIGN)).noneMatch((name) -> name.startsWith("com.sun.jna.")
				|| name.startsWith("org.freedesktop.") || name.startsWith("org.springframework.integration."));
		assertThat(run.report.get("threads")).doesNotContain("ipc-");
	}

	private Run run(String... args) throws IOException, InterruptedException {
		Path classes = Files.createTempFile(this.directory, "classes", ".log");
		Path out = Files.createTempFile(this.directory, "out", ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xlog:class+load=info:file=" + classes, "-cp", classPath(), StartupProbeApplication.class.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
		String output = Files.readString(out);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("closed");
		Map<String, String> report = new LinkedHashMap<>();
		for (String line : output.lines().toList()) {
			int equals = line.indexOf('=');
			if (equals > 0 && !line.contains(" ")) {
				report.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return new Run(Files.readAllLines(classes), report);
	}

	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

	private record Run(List<String> classLog, Map<String, String> report) {

		List<String> classesOf(List<String> prefixes) {
			return this.classLog.stream()
				.map((line) -> line.substring(line.indexOf("] ", line.indexOf("class,load")) + 2))
				.map((line) -> line.split(" ")[0])
				.filter((name) -> prefixes.stream().anyMatch(name::startsWith))
				.toList();
		}

	}

}
