package dev.ipcboot.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.listener.IpcMessageListener;
import dev.ipcboot.listener.IpcReplyTarget;

/**
 * The listener core alone, without a transport: one {@code IpcMessageListener.onMessage}
 * call of an {@link IpcListener} method (argument resolution, invocation, reply
 * conversion, up to the reply handed to the reply target), against calling the same
 * method directly with what the message carries (the baseline: a hand-written
 * dispatcher). 64-byte payloads. {@code kind}: {@code bytes} ({@code byte[]} in and out,
 * the socket benchmarks' listener), {@code string} ({@code String} in and out),
 * {@code header} ({@code byte[]} and a {@code @Header String}), {@code buffer} (a
 * {@code ByteBuffer} view lent by the channel, {@code byte[]} out).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ListenerInvocationBenchmark {

	@Param({ "bytes", "string", "header", "buffer" })
	public String kind;

	private ConfigurableApplicationContext context;

	private IpcMessageListener listener;

	private Listeners direct;

	private Message<?> message;

	private final Target target = new Target();

	private final byte[] payload = new byte[64];

	private final ByteBuffer lent = ByteBuffer.allocateDirect(64);

	@Setup(Level.Trial)
	public void setUp() {
		Arrays.fill(this.payload, (byte) 'x');
		this.lent.put(this.payload).flip();
		this.context = Apps.run(App.class);
		Channels channels = this.context.getBean(Channels.class);
		this.direct = this.context.getBean(Listeners.class);
		BenchChannel channel = channels.get(this.kind);
		this.listener = channel.listener;
		MessageHeaders headers = new MessageHeaders(java.util.Map.of(IpcHeaders.CHANNEL, this.kind));
		this.message = new GenericMessage<>(this.kind.equals("buffer") ? this.lent : this.payload, headers);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	@Benchmark
	public byte[] starter() {
		this.listener.onMessage(this.message, this.target);
		return this.target.reply;
	}

	@Benchmark
	public byte[] baseline() {
		Message<?> m = this.message;
		return switch (this.kind) {
			case "bytes" -> this.direct.bytes((byte[]) m.getPayload());
			case "string" -> this.direct.string(new String((byte[]) m.getPayload(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8);
			case "header" ->
				this.direct.header((byte[]) m.getPayload(), (String) m.getHeaders().get(IpcHeaders.CHANNEL));
			default -> this.direct.buffer(((ByteBuffer) m.getPayload()).asReadOnlyBuffer());
		};
	}

	/** Takes the reply. */
	static final class Target implements IpcReplyTarget {

		byte[] reply;

		@Override
		public void reply(byte[] payload) {
			this.reply = payload;
		}

		@Override
		public void fail(Throwable error) {
			throw new IllegalStateException(error);
		}

		@Override
		public String describePeer() {
			return "benchmark";
		}

	}

	/** A channel that only keeps its listener. */
	static final class BenchChannel implements IpcChannel {

		private final String name;

		IpcMessageListener listener;

		BenchChannel(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public String kind() {
			return "benchmark";
		}

		@Override
		public String property() {
			return "bench.channels." + this.name;
		}

		@Override
		public void addListener(IpcMessageListener listener) {
			this.listener = listener;
		}

	}

	/** The benchmark's channels, one per kind. */
	static final class Channels implements IpcChannelSource {

		private final List<BenchChannel> all = new ArrayList<>(List.of(new BenchChannel("bytes"),
				new BenchChannel("string"), new BenchChannel("header"), new BenchChannel("buffer")));

		@Override
		public Collection<? extends IpcChannel> channels() {
			return this.all;
		}

		BenchChannel get(String name) {
			return this.all.stream().filter((channel) -> channel.name().equals(name)).findFirst().orElseThrow();
		}

	}

	/** One listener per kind. */
	public static class Listeners {

		@IpcListener("bytes")
		public byte[] bytes(byte[] message) {
			return message;
		}

		@IpcListener("string")
		public String string(String message) {
			return message;
		}

		@IpcListener("header")
		public byte[] header(byte[] message, @Header(IpcHeaders.CHANNEL) String channel) {
			return (channel.length() > 0) ? message : null;
		}

		@IpcListener("buffer")
		public byte[] buffer(ByteBuffer message) {
			byte[] copy = new byte[message.remaining()];
			message.get(copy);
			return copy;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class App {

		@Bean
		Channels benchChannels() {
			return new Channels();
		}

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

}
