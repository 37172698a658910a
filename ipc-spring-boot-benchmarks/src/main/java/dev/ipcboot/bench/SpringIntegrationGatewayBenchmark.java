package dev.ipcboot.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.annotation.ServiceActivator;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.handler.BridgeHandler;
import org.springframework.integration.ip.tcp.TcpInboundGateway;
import org.springframework.integration.ip.tcp.TcpOutboundGateway;
import org.springframework.integration.ip.tcp.connection.AbstractClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.AbstractServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNioClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNioServerConnectionFactory;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * Scenario 2, the extra side: the starter's TCP channel beside Spring Integration's own
 * TCP gateways in the same run, line framing, 64-byte messages. {@code siInbound} is a
 * {@link TcpInboundGateway} echo server (a {@link BridgeHandler} on its request channel)
 * called by the same plain JDK client as the starter and the baseline: the server sides
 * compared like for like. {@code siGateways} is a {@link TcpOutboundGateway} calling that
 * inbound gateway: Spring Integration at both ends. {@code connections} picks Spring
 * Integration's blocking ({@code net}) or NIO connection factories.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SpringIntegrationGatewayBenchmark {

	@Param({ "net", "nio" })
	public String connections;

	private Path dir;

	private RawSockets.RawServer rawServer;

	private ConfigurableApplicationContext starter;

	private AnnotationConfigApplicationContext integration;

	private AbstractClientConnectionFactory clientFactory;

	private SocketChannel rawClient;

	private SocketChannel starterClient;

	private SocketChannel siClient;

	private DirectChannel outbound;

	private final MessagingTemplate template = new MessagingTemplate();

	private final ByteBuffer request = RawSockets.frame("line", 64);

	private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

	private final byte[] payload = new byte[63];

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		Arrays.fill(this.payload, (byte) 'x');
		this.dir = Files.createTempDirectory("ipc-bench");
		this.rawServer = RawSockets.RawServer.echo(new InetSocketAddress("127.0.0.1", 0));
		this.rawClient = RawSockets.connect(this.rawServer.address());
		this.starter = Apps.run(SocketRequestReplyBenchmark.EchoApplication.class, "--ipc.servers.bench.transport=tcp",
				"--ipc.servers.bench.port=0", "--ipc.servers.bench.framing=line");
		this.starterClient = RawSockets.connect(new InetSocketAddress("127.0.0.1", Apps.port(this.starter, "bench")));
		this.integration = new AnnotationConfigApplicationContext();
		this.integration.registerBean("nio", Boolean.class, this.connections.equals("nio"));
		this.integration.register(IntegrationEcho.class);
		this.integration.refresh();
		AbstractServerConnectionFactory serverFactory = this.integration.getBean(AbstractServerConnectionFactory.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!serverFactory.isListening() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		int port = serverFactory.getPort();
		this.siClient = RawSockets.connect(new InetSocketAddress("127.0.0.1", port));
		this.clientFactory = this.connections.equals("nio") ? new TcpNioClientConnectionFactory("127.0.0.1", port)
				: new TcpNetClientConnectionFactory("127.0.0.1", port);
		this.clientFactory.setSerializer(new ByteArrayLfSerializer());
		this.clientFactory.setDeserializer(new ByteArrayLfSerializer());
		this.clientFactory.setSoTcpNoDelay(true);
		this.clientFactory.setBeanFactory(this.integration.getBeanFactory());
		this.clientFactory.setApplicationEventPublisher(this.integration);
		this.clientFactory.afterPropertiesSet();
		this.clientFactory.start();
		TcpOutboundGateway gateway = new TcpOutboundGateway();
		gateway.setConnectionFactory(this.clientFactory);
		gateway.setBeanFactory(this.integration.getBeanFactory());
		gateway.afterPropertiesSet();
		gateway.start();
		this.outbound = new DirectChannel();
		this.outbound.subscribe(gateway);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.rawClient.close();
		this.starterClient.close();
		this.siClient.close();
		this.clientFactory.stop();
		this.integration.close();
		this.starter.close();
		this.rawServer.close();
		Apps.delete(this.dir);
	}

	@Benchmark
	public int baselineRequestReply() throws IOException {
		return RawSockets.roundTrip(this.rawClient, this.request, this.reply, true);
	}

	@Benchmark
	public int starterRequestReply() throws IOException {
		return RawSockets.roundTrip(this.starterClient, this.request, this.reply, true);
	}

	@Benchmark
	public int siInbound_RequestReply() throws IOException {
		return RawSockets.roundTrip(this.siClient, this.request, this.reply, true);
	}

	@Benchmark
	public Object siGateways_RequestReply() {
		Message<?> answer = this.template.sendAndReceive(this.outbound,
				MessageBuilder.withPayload(this.payload).build());
		if (answer == null) {
			throw new IllegalStateException("no reply from the inbound gateway");
		}
		return answer.getPayload();
	}

	/**
	 * Spring Integration's TCP echo: an inbound gateway whose request channel bridges
	 * back.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	static class IntegrationEcho {

		@Bean
		AbstractServerConnectionFactory serverFactory(Boolean nio) {
			AbstractServerConnectionFactory factory = nio ? new TcpNioServerConnectionFactory(0)
					: new TcpNetServerConnectionFactory(0);
			factory.setLocalAddress("127.0.0.1");
			factory.setSerializer(new ByteArrayLfSerializer());
			factory.setDeserializer(new ByteArrayLfSerializer());
			factory.setSoTcpNoDelay(true);
			return factory;
		}

		@Bean
		DirectChannel echoChannel() {
			return new DirectChannel();
		}

		@Bean
		TcpInboundGateway inbound(AbstractServerConnectionFactory serverFactory, DirectChannel echoChannel) {
			TcpInboundGateway gateway = new TcpInboundGateway();
			gateway.setConnectionFactory(serverFactory);
			gateway.setRequestChannel(echoChannel);
			return gateway;
		}

		@Bean
		@ServiceActivator(inputChannel = "echoChannel")
		MessageHandler echo() {
			return new BridgeHandler();
		}

	}

}
