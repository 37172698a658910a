package dev.ipcboot.bench;

import java.util.concurrent.TimeUnit;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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

import dev.ipcboot.dbus.DBusExport;
import dev.ipcboot.dbus.DBusTemplate;

/**
 * Scenario 9: a method call to a bean that the starter exports on a private bus (a
 * {@code dbus-daemon} the starter runs). The starter side is a typed proxy from a
 * {@link DBusTemplate} with a connection of its own; the baseline is the same proxy from
 * a plain dbus-java connection to the same bus. Both callers are in this JVM, the daemon
 * and the exporting connection are shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DBusCallBenchmark {

	static final String SERVICE = "dev.ipcboot.bench.Echo";

	private ConfigurableApplicationContext context;

	private DBusTemplate template;

	private DBusConnection raw;

	private BenchEcho starterProxy;

	private BenchEcho rawProxy;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.context = Apps.run(DBusApplication.class, "--ipc.dbus.bus=private", "--ipc.dbus.service-name=" + SERVICE);
		String address = this.context.getBean(DBusTemplate.class).connection().address();
		this.template = DBusTemplate.connect(address);
		this.starterProxy = this.template.remote(SERVICE, EchoBean.PATH, BenchEcho.class);
		this.raw = DBusConnectionBuilder.forAddress(address).build();
		this.rawProxy = this.raw.getRemoteObject(SERVICE, EchoBean.PATH, BenchEcho.class);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.raw.close();
		this.template.close();
		this.context.close();
	}

	@Benchmark
	public String starterCall() {
		return this.starterProxy.Echo("ping");
	}

	@Benchmark
	public String baselineCall() {
		return this.rawProxy.Echo("ping");
	}

	/** The exported interface. */
	@DBusInterfaceName("dev.ipcboot.bench.Echo")
	public interface BenchEcho extends DBusInterface {

		String Echo(String text);

	}

	/** The exported bean. */
	@DBusExport(path = EchoBean.PATH)
	public static class EchoBean implements BenchEcho {

		static final String PATH = "/dev/ipcboot/bench/Echo";

		@Override
		public String Echo(String text) {
			return text;
		}

		@Override
		public String getObjectPath() {
			return PATH;
		}

	}

	/** The application under test: one exported bean. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	public static class DBusApplication {

		@Bean
		EchoBean echoBean() {
			return new EchoBean();
		}

	}

}
