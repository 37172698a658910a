package dev.ipcboot.socket.udp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ipcboot.startup.StartupProbeApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's rule for the UDP transport: an application whose socket entries are not UDP
 * loads no class of the UDP transport nor of Spring Integration's UDP adapters; one with
 * a UDP entry does (so that the first assertion can fail). Child JVMs with the class-load
 * log.
 */
class UdpClassLoadingTests {

	private static final List<String> UDP = List.of("dev.ipcboot.socket.udp.",
			"org.springframework.integration.ip.udp.");

	@TempDir
	Path dir;

	@Test
	void aTcpServerLoadsNothingOfTheUdpTransportAndAUdpServerDoes() throws Exception {
		assertThat(udpClasses("--ipc.servers.plain.transport=tcp")).as("with a TCP server only").isEmpty();
		assertThat(udpClasses("--ipc.servers.quotes.transport=udp")).as("with a UDP server")
			.contains("dev.ipcboot.socket.udp.internal.UdpServer",
					"org.springframework.integration.ip.udp.inbound.UnicastReceivingChannelAdapter");
	}

	private List<String> udpClasses(String... args) throws Exception {
		Path log = Files.createTempFile(this.dir, "classes", ".log");
		Path out = Files.createTempFile(this.dir, "out", ".log");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
						"-Xlog:class+load=info:file=" + log, "-cp", classPath(),
						StartupProbeApplication.class.getName(), "--spring.main.banner-mode=off"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
		String output = Files.readString(out);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("closed");
		List<String> classes = new ArrayList<>();
		for (String line : Files.readAllLines(log)) {
			int start = line.indexOf("] ");
			if (start < 0) {
				continue;
			}
			String rest = line.substring(start + 2);
			int end = rest.indexOf(' ');
			String name = (end > 0) ? rest.substring(0, end) : rest;
			if (UDP.stream().anyMatch(name::startsWith)) {
				classes.add(name);
			}
		}
		return classes;
	}

	private static String classPath() {
		String surefire = System.getProperty("surefire.test.class.path");
		return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
	}

}
