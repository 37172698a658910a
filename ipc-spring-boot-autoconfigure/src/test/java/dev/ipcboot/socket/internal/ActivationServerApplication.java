package dev.ipcboot.socket.internal;

import java.io.BufferedReader;
import java.io.IOException;
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

import dev.ipcboot.listener.IpcListener;

/**
 * A Spring Boot application that {@link SocketActivationTests} starts under
 * {@code systemd-socket-activate}: servers {@code act-local} and {@code act-tcp},
 * configured by the command line, answer {@code echo:<pid>:} and the frame. It prints
 * {@code ACTIVATION READY pid=<pid>} when ready; on a line {@code relisten} stops and
 * starts both servers ({@code ACTIVATION RELISTENED}); on a line {@code stop} on standard
 * input (or its end) closes its context, prints {@code ACTIVATION STOPPED} and exits.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ActivationServerApplication {

	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(ActivationServerApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null && !command.equals("stop")) {
			if (command.equals("relisten")) {
				// a stopped and restarted listener, in the same process
				for (String name : new String[] { "act-local", "act-tcp" }) {
					SocketServer server = context.getBean(SocketServers.class).get(name);
					server.stopReceiving();
					server.startReceiving();
				}
				System.out.println("ACTIVATION RELISTENED");
			}
		}
		context.close();
		System.out.println("ACTIVATION STOPPED pid=" + ProcessHandle.current().pid());
		System.out.flush();
		System.exit(0);
	}

	@Bean
	ActivationEchoListener activationEchoListener() {
		return new ActivationEchoListener();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		System.out.println("ACTIVATION READY pid=" + ProcessHandle.current().pid());
	}

	/** Echoes with the answering process's pid. */
	static class ActivationEchoListener {

		@IpcListener("act-local")
		String local(String payload) {
			return "echo:" + ProcessHandle.current().pid() + ":" + payload;
		}

		@IpcListener("act-tcp")
		String tcp(String payload) {
			return "echo:" + ProcessHandle.current().pid() + ":" + payload;
		}

	}

}
