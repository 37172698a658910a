package dev.ipcboot.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.ipcboot.dbus.DBusTemplate;
import dev.ipcboot.listener.IpcListener;

/**
 * Scenario 9b: signals delivered, per second. On a private bus (a {@code dbus-daemon} the
 * starter runs) an emitter connection sends a batch of {@link #BATCH} signals and the
 * invocation ends when the last of them has been received: by the starter app's
 * {@code @IpcListener} on an {@code ipc.dbus.signals.<name>} channel, or, for the
 * baseline, by a raw dbus-java {@code DBusSigHandler} on a connection of its own. Both
 * receivers are subscribed all the time, each to its own object path, so the bus routes
 * each batch to one receiver only. The score is delivery, not emission: the emitter may
 * run ahead, the clock stops only when every signal has arrived.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
public class DBusSignalBenchmark {

	static final int BATCH = 500;

	static final String STARTER_PATH = "/dev/ipcboot/bench/starter";

	static final String RAW_PATH = "/dev/ipcboot/bench/raw";

	private ConfigurableApplicationContext context;

	private DBusConnection emitter;

	private DBusConnection raw;

	private AutoCloseable rawHandler;

	private final Arrivals rawArrivals = new Arrivals();

	private Arrivals starterArrivals;

	private long sequence;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.context = Apps.run(SignalApplication.class, "--ipc.dbus.bus=private",
				"--ipc.dbus.signals.ticks.interface=" + BenchTicks.INTERFACE, "--ipc.dbus.signals.ticks.member=Tick",
				"--ipc.dbus.signals.ticks.path=" + STARTER_PATH);
		this.starterArrivals = this.context.getBean(Arrivals.class);
		DBusTemplate template = this.context.getBean(DBusTemplate.class);
		// the channel subscribes once the connection is up
		template.connection().connect();
		String address = template.connection().address();
		this.emitter = DBusConnectionBuilder.forAddress(address).withShared(false).build();
		this.raw = DBusConnectionBuilder.forAddress(address).withShared(false).build();
		// dbus-java filters a typed handler by the path of an object it knows: the
		// emitter's, imported
		BenchTicks source = this.raw.getRemoteObject(this.emitter.getUniqueName(), RAW_PATH, BenchTicks.class);
		this.rawHandler = this.raw.addSigHandler(BenchTicks.Tick.class, source, (signal) -> this.rawArrivals.arrive());
		// a few batches each before JMH's warm-up: both subscriptions are known to the
		// bus, and a quick run (300 ms of warm-up) does not time the first, interpreted
		// batches, which take up to a second
		for (int i = 0; i < 10; i++) {
			starterSignals();
			baselineSignals();
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.rawHandler.close();
		this.emitter.close();
		this.raw.close();
		this.context.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void starterSignals() throws Exception {
		sendBatch(STARTER_PATH, this.starterArrivals);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public void baselineSignals() throws Exception {
		sendBatch(RAW_PATH, this.rawArrivals);
	}

	private void sendBatch(String path, Arrivals arrivals) throws Exception {
		CountDownLatch all = arrivals.expect(BATCH);
		for (int i = 0; i < BATCH; i++) {
			this.emitter.sendMessage(new BenchTicks.Tick(path, this.sequence++));
		}
		if (!all.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException(
					"Only " + (BATCH - all.getCount()) + " of " + BATCH + " signals to " + path + " arrived in 30 s");
		}
	}

	/** Counts the signals of the current batch down. */
	public static final class Arrivals {

		private volatile CountDownLatch latch = new CountDownLatch(0);

		CountDownLatch expect(int count) {
			CountDownLatch next = new CountDownLatch(count);
			this.latch = next;
			return next;
		}

		void arrive() {
			this.latch.countDown();
		}

	}

	/** The interface that declares the signal. */
	@DBusInterfaceName(BenchTicks.INTERFACE)
	public interface BenchTicks extends DBusInterface {

		String INTERFACE = "dev.ipcboot.bench.Ticks";

		/** The signal: one sequence number. */
		class Tick extends DBusSignal {

			private final long sequence;

			public Tick(String path, long sequence) throws DBusException {
				super(path, sequence);
				this.sequence = sequence;
			}

			public long getSequence() {
				return this.sequence;
			}

		}

	}

	/** The listener of the {@code ticks} channel. */
	public static class TickListener {

		private final Arrivals arrivals;

		TickListener(Arrivals arrivals) {
			this.arrivals = arrivals;
		}

		@IpcListener("ticks")
		public void tick(long sequence) {
			this.arrivals.arrive();
		}

	}

	/** The application under test: one signal channel and its listener. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class SignalApplication {

		@Bean
		Arrivals arrivals() {
			return new Arrivals();
		}

		@Bean
		TickListener tickListener(Arrivals arrivals) {
			return new TickListener(arrivals);
		}

	}

}
