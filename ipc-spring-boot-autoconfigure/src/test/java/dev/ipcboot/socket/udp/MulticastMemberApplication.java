package dev.ipcboot.socket.udp;

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
import org.springframework.messaging.handler.annotation.Header;

import dev.ipcboot.socket.SocketHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.testsupport.OurThreads;

/**
 * A member of a multicast group for {@link UdpMulticastNamespaceTests}, run as a child
 * JVM inside the test's network namespace: prints what the group server receives and
 * answers each datagram; {@code announce <text>} on stdin sends to the group through the
 * {@code announce} client, {@code stop} closes the context and reports threads left.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class MulticastMemberApplication {

	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(MulticastMemberApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run(args);
		BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String command;
		while ((command = commands.readLine()) != null && !command.equals("stop")) {
			if (command.startsWith("announce ")) {
				context.getBean("ipc.clients.announce", IpcClient.class).send(command.substring("announce ".length()));
				System.out.println("MEMBER ANNOUNCED");
			}
		}
		context.close();
		System.out.println("MEMBER STOPPED threads=" + OurThreads.alive("ipc-udp-"));
		System.out.flush();
		System.exit(0);
	}

	@Bean
	Member member() {
		return new Member();
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		System.out.println("MEMBER READY pid=" + ProcessHandle.current().pid());
	}

	static class Member {

		@IpcListener("group")
		String received(String payload, @Header(SocketHeaders.REMOTE_ADDRESS) String from) {
			System.out.println("MEMBER RECEIVED " + payload + " FROM " + from);
			return "ack:" + ProcessHandle.current().pid() + ":" + payload;
		}

	}

}
