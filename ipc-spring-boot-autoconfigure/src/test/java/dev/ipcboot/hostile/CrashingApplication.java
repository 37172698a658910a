package dev.ipcboot.hostile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.ipcboot.dbus.BusConnection;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.shm.SharedMemory;

/**
 * The application that {@link CrashLeftoversTests} kills with SIGKILL: a private bus, a
 * local socket server, shared memory and semaphores, as the command line configures them.
 * Prints {@code CRASH READY} once everything is created, and closes its context at
 * end-of-file on stdin.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class CrashingApplication {

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(CrashingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		while (input.readLine() != null) {
			// until end-of-file
		}
		context.close();
		System.out.println("CRASH CLOSED");
		System.exit(0);
	}

	@Bean
	Echo crashEcho() {
		return new Echo();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		context.getBeanProvider(BusConnection.class).ifAvailable(BusConnection::connect);
		System.out.println("CRASH READY shm=" + context.getBeansOfType(SharedMemory.class).size() + " semaphores="
				+ context.getBeansOfType(SystemSemaphore.class).size());
	}

	/** The socket server's listener. */
	static class Echo {

		@IpcListener("crash")
		String echo(String payload) {
			return payload;
		}

	}

}
