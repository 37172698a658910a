package dev.ipcboot.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.messaging.Message;
import org.springframework.messaging.PollableChannel;
import org.springframework.messaging.support.MessageBuilder;

import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.ProcessAutoConfiguration;
import dev.ipcboot.autoconfigure.SocketAutoConfiguration;
import dev.ipcboot.process.ProcessHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;
import dev.ipcboot.socket.IpcClient;
import dev.ipcboot.testsupport.OurThreads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Channels as the sources and clients as the targets of Spring Integration flows, with
 * Spring Integration's in-memory channels in between and real sockets and processes at
 * the ends.
 */
class IpcIntegrationFlowTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				IpcListenerAutoConfiguration.class, SocketAutoConfiguration.class, ProcessAutoConfiguration.class));
	}

	@Test
	void flowReceivesFromALocalSocketChannelAndItsReplyGoesBackToThePeer() {
		Path socket = this.dir.resolve("orders.sock");
		runner().withUserConfiguration(InboundFlow.class)
			.withPropertyValues("ipc.servers.orders.path=" + socket, "ipc.clients.peer.path=" + socket)
			.run((context) -> {
				IpcClient peer = context.getBean("ipc.clients.peer", IpcClient.class);
				assertThat(peer.request("tea", String.class)).isEqualTo("TEA (from the flow)");
				IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
				String id = registry.ids()
					.stream()
					.filter((each) -> each.startsWith("ordersFlow"))
					.findFirst()
					.orElseThrow();
				assertThat(registry.channelsOf(id)).containsExactly("orders");
				assertThat(registry.isRunning(id)).isTrue();
			});
		await().atMost(Duration.ofSeconds(10)).until(() -> OurThreads.alive("ipc-").isEmpty());
		assertThat(socket).doesNotExist();
	}

	@Test
	void stoppingTheInboundGatewayStopsItsServerAndStartingItServesAgain() {
		Path socket = this.dir.resolve("orders.sock");
		runner().withUserConfiguration(InboundFlow.class)
			.withPropertyValues("ipc.servers.orders.path=" + socket, "ipc.clients.peer.path=" + socket)
			.run((context) -> {
				IpcInboundGateway gateway = context.getBean(IpcInboundGateway.class);
				IpcListenerEndpointRegistry registry = context.getBean(IpcListenerEndpointRegistry.class);
				String id = registry.ids()
					.stream()
					.filter((each) -> each.startsWith("ordersFlow"))
					.findFirst()
					.orElseThrow();
				gateway.stop();
				assertThat(registry.isRunning(id)).isFalse();
				assertThat(socket).doesNotExist();
				gateway.start();
				assertThat(registry.isRunning(id)).isTrue();
				IpcClient peer = context.getBean("ipc.clients.peer", IpcClient.class);
				assertThat(peer.request("tea", String.class)).isEqualTo("TEA (from the flow)");
			});
	}

	@Test
	void failingFlowClosesThatConnectionAndTheNextPeerIsServed() {
		Path socket = this.dir.resolve("orders.sock");
		runner().withUserConfiguration(InboundFlow.class)
			.withPropertyValues("ipc.servers.orders.path=" + socket, "ipc.clients.peer.path=" + socket,
					"ipc.clients.peer.request-timeout=5s")
			.run((context) -> {
				IpcClient peer = context.getBean("ipc.clients.peer", IpcClient.class);
				assertThat(peer).extracting((client) -> {
					try {
						return client.request("fail", String.class);
					}
					catch (RuntimeException ex) {
						return "failed";
					}
				}).isEqualTo("failed");
				assertThat(peer.request("coffee", String.class)).isEqualTo("COFFEE (from the flow)");
			});
	}

	@Test
	void flowSendsThroughAClientAndContinuesWithTheServersReply() {
		Path socket = this.dir.resolve("desk.sock");
		runner().withUserConfiguration(OutboundFlow.class)
			.withBean(Desk.class)
			.withPropertyValues("ipc.servers.desk.path=" + socket, "ipc.clients.desk.path=" + socket)
			.run((context) -> {
				MessagingTemplate template = new MessagingTemplate();
				template.send(context.getBean("toDesk", org.springframework.messaging.MessageChannel.class),
						MessageBuilder.withPayload("tea").build());
				Message<?> reply = context.getBean("replies", PollableChannel.class).receive(5000);
				assertThat(reply).isNotNull();
				assertThat(new String((byte[]) reply.getPayload(), StandardCharsets.UTF_8)).isEqualTo("desk got tea");
				template.send(context.getBean("notify", org.springframework.messaging.MessageChannel.class),
						MessageBuilder.withPayload("ring").build());
				Desk desk = context.getBean(Desk.class);
				await().until(() -> desk.received.equals(List.of("tea", "ring")));
			});
	}

	@Test
	void processOutputFlowsIntoAFlowLineByLine() {
		runner().withUserConfiguration(ProcessFlow.class)
			.withPropertyValues("ipc.processes.counter.command[0]=seq", "ipc.processes.counter.command[1]=3",
					"ipc.processes.counter.restart=never")
			.run((context) -> {
				PollableChannel lines = context.getBean("lines", PollableChannel.class);
				for (String expected : List.of("1", "2", "3")) {
					Message<?> line = lines.receive(5000);
					assertThat(line).isNotNull();
					assertThat(new String((byte[]) line.getPayload(), StandardCharsets.UTF_8)).isEqualTo(expected);
					assertThat(line.getHeaders().get(ProcessHeaders.STREAM)).isEqualTo("stdout");
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class InboundFlow {

		@Bean
		IntegrationFlow ordersFlow() {
			return IntegrationFlow.from(IpcIntegration.inboundGateway("orders"))
				.transform(byte[].class, (bytes) -> new String(bytes, StandardCharsets.UTF_8))
				.<String, String>transform((text) -> {
					if (text.equals("fail")) {
						throw new IllegalStateException("the flow refuses " + text);
					}
					return text.toUpperCase() + " (from the flow)";
				})
				.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class OutboundFlow {

		@Bean
		QueueChannel replies() {
			return new QueueChannel();
		}

		@Bean
		IntegrationFlow deskFlow(@Qualifier("desk") IpcClient desk) {
			return IntegrationFlow.from("toDesk").handle(IpcIntegration.outboundGateway(desk)).channel("replies").get();
		}

		@Bean
		IntegrationFlow notifyFlow() {
			return IntegrationFlow.from("notify").handle(IpcIntegration.outboundAdapter("desk")).get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class ProcessFlow {

		@Bean
		QueueChannel lines() {
			return new QueueChannel();
		}

		@Bean
		IntegrationFlow counterFlow() {
			return IntegrationFlow.from(IpcIntegration.inboundAdapter("counter")).channel("lines").get();
		}

	}

	static class Desk {

		final List<String> received = new CopyOnWriteArrayList<>();

		@IpcListener("desk")
		String handle(String text) {
			this.received.add(text);
			return "desk got " + text;
		}

	}

}
