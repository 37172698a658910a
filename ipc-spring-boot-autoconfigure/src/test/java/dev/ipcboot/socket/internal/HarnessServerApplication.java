package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.testsupport.OurThreads;

/**
 * A Spring Boot application that tests run as a child JVM ({@link HarnessChildJvm}): one
 * server named {@code hostile}, configured by the command line, whose listener echoes
 * every frame with {@code echo:} and waits first when the frame is {@code slow:<ms>} (and
 * anything after a space). It prints {@code HARNESS READY} when ready,
 * {@code HARNESS STARTED <payload>} when a slow call starts, and answers each line
 * {@code state} on standard input with one line
 * {@code HARNESS STATE heap=<bytes used after a GC> rss=<kB> threads=<ipc-* threads>}. It
 * exits when its standard input ends, so a dead test leaves no server behind.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class HarnessServerApplication {

	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(HarnessServerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null) {
			if (command.equals("state")) {
				System.out.println(state());
			}
		}
		context.close();
		System.exit(0);
	}

	@Bean
	HarnessEchoListener harnessEchoListener() {
		return new HarnessEchoListener();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) throws IOException {
		System.out.println("HARNESS READY " + state());
	}

	static String state() throws IOException {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		long rss = Files.readAllLines(Path.of("/proc/self/status"))
			.stream()
			.filter((line) -> line.startsWith("VmRSS:"))
			.mapToLong((line) -> Long.parseLong(line.replaceAll("[^0-9]", "")))
			.findFirst()
			.orElse(-1);
		return "HARNESS STATE heap=" + heap + " rss=" + rss + " threads=" + OurThreads.alive("ipc-").size() + " names="
				+ String.join(",", OurThreads.alive("ipc-"));
	}

	/** Echoes, slowly when asked to. */
	static class HarnessEchoListener {

		@IpcListener("hostile")
		String echo(String payload) throws InterruptedException {
			if (payload.startsWith("slow:")) {
				System.out.println("HARNESS STARTED " + payload);
				Thread.sleep(Long.parseLong(payload.substring("slow:".length()).split(" ")[0]));
			}
			return "echo:" + payload;
		}

	}

}
