package dev.ipcboot.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.CallbackHandler;
import org.freedesktop.dbus.interfaces.DBusInterface;
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

import dev.ipcboot.dbus.DBusTemplate;

/**
 * Scenario 9, asynchronous: calls to the bean of {@link DBusCallBenchmark} with 16 calls
 * in flight, in calls per second. The starter side is a typed proxy whose method returns
 * a {@link CompletableFuture}; the baseline is dbus-java's own asynchronous call
 * ({@code callWithCallback}) on a plain connection to the same bus. Each invocation makes
 * {@value #CALLS} calls, starting a new one as soon as one of the 16 completes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class DBusAsyncCallBenchmark {

	static final int CALLS = 512;

	static final int IN_FLIGHT = 16;

	private org.springframework.context.ConfigurableApplicationContext context;

	private DBusTemplate template;

	private DBusConnection raw;

	private AsyncEcho starterProxy;

	private DBusCallBenchmark.BenchEcho rawProxy;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.context = Apps.run(DBusCallBenchmark.DBusApplication.class, "--ipc.dbus.bus=private",
				"--ipc.dbus.service-name=" + DBusCallBenchmark.SERVICE);
		String address = this.context.getBean(DBusTemplate.class).connection().address();
		this.template = DBusTemplate.connect(address);
		this.starterProxy = this.template.remote(DBusCallBenchmark.SERVICE, DBusCallBenchmark.EchoBean.PATH,
				AsyncEcho.class);
		this.raw = DBusConnectionBuilder.forAddress(address).build();
		this.rawProxy = this.raw.getRemoteObject(DBusCallBenchmark.SERVICE, DBusCallBenchmark.EchoBean.PATH,
				DBusCallBenchmark.BenchEcho.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.raw.close();
		this.template.close();
		this.context.close();
	}

	@Benchmark
	@OperationsPerInvocation(CALLS)
	public void starterAsyncCalls() throws InterruptedException {
		Window window = new Window();
		for (int i = 0; i < CALLS; i++) {
			window.acquire();
			this.starterProxy.Echo("ping").whenComplete((reply, failure) -> window.release(reply, failure));
		}
		window.drain();
	}

	@Benchmark
	@OperationsPerInvocation(CALLS)
	public void baselineAsyncCalls() throws InterruptedException {
		Window window = new Window();
		CallbackHandler<String> callback = new CallbackHandler<>() {

			@Override
			public void handle(String reply) {
				window.release(reply, null);
			}

			@Override
			public void handleError(DBusExecutionException failure) {
				window.release(null, failure);
			}

		};
		for (int i = 0; i < CALLS; i++) {
			window.acquire();
			this.raw.callWithCallback(this.rawProxy, "Echo", callback, "ping");
		}
		window.drain();
	}

	/** At most {@value #IN_FLIGHT} calls at a time; the first failure ends the run. */
	private static final class Window {

		private final Semaphore free = new Semaphore(IN_FLIGHT);

		private final AtomicReference<Throwable> failure = new AtomicReference<>();

		void acquire() throws InterruptedException {
			if (!this.free.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("No reply within 10 s", this.failure.get());
			}
		}

		void release(Object reply, Throwable error) {
			if (error != null || !"ping".equals(reply)) {
				this.failure.compareAndSet(null, (error != null) ? error : new IllegalStateException("reply " + reply));
			}
			this.free.release();
		}

		void drain() throws InterruptedException {
			if (!this.free.tryAcquire(IN_FLIGHT, 10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Calls still pending after 10 s", this.failure.get());
			}
			if (this.failure.get() != null) {
				throw new IllegalStateException("A call failed", this.failure.get());
			}
		}

	}

	/** The exported interface, with a method that returns a future. */
	@DBusInterfaceName("dev.ipcboot.bench.Echo")
	public interface AsyncEcho extends DBusInterface {

		CompletableFuture<String> Echo(String text);

	}

}
