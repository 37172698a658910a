package dev.ipcboot.dbus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.ipcboot.autoconfigure.DBusAutoConfiguration;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.listener.IpcListener;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A python3-dbus peer floods signals at a subscription whose listener is blocked: what
 * waits for the listener is bounded ({@link SignalSubscription#MAX_WAITING}), the newest
 * signals beyond it are dropped, every drop is in a WARN line (the first at once, the
 * rest when the listener has caught up), what was kept arrives in order, and the
 * subscription delivers again afterwards. Before the bound every signal waited on the
 * heap.
 */
@ExtendWith(OutputCaptureExtension.class)
class DBusSignalFloodTests {

	private static final int FLOOD = SignalSubscription.MAX_WAITING + 2_000;

	private static final Pattern DROPPED = Pattern.compile("Dropped (\\d+) signal\\(s\\) for ");

	@TempDir
	Path directory;

	private PrivateBusDaemon daemon;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.getBean(BlockedListener.class).release.countDown();
			this.context.close();
		}
		if (this.daemon != null) {
			this.daemon.close();
		}
	}

	@Test
	void peerFloodingSignalsAtABlockedListenerFillsABoundedQueueAndTheRestIsDroppedWithAWarning(CapturedOutput output)
			throws Exception {
		String python = Tools.requirePythonModule("dbus", "python3-dbus");
		this.daemon = PrivateBusDaemon.start(this.directory);
		this.context = TestApps.start(App.class, "ipc.dbus.bus=" + this.daemon.address(),
				"ipc.dbus.signals.flood.interface=dev.ipcboot.test.Flood", "ipc.dbus.signals.flood.member=Tick",
				"ipc.dbus.signals.flood-end.interface=dev.ipcboot.test.Flood", "ipc.dbus.signals.flood-end.member=End");
		BlockedListener listener = this.context.getBean(BlockedListener.class);

		emit(python, 0, FLOOD);
		// dbus-java hands signals over in order on one thread: once the End sent after
		// the
		// flood has arrived, every Tick has been kept or dropped (releasing the listener
		// before would let the rest of the flood in)
		await().atMost(Duration.ofSeconds(60)).until(() -> listener.ends.get() == 1);
		assertThat(dropped(output)).as("signals dropped so far").isPositive();
		assertThat(listener.received).as("the listener is still blocked on the first signal").hasSize(1);

		listener.release.countDown();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(listener.received.size() + dropped(output)).isEqualTo(FLOOD));
		assertThat(listener.received).as("what waited arrives, in order")
			.hasSize(SignalSubscription.MAX_WAITING)
			.isEqualTo(IntStream.range(0, SignalSubscription.MAX_WAITING).boxed().toList());
		assertThat(output.getOut()).contains("(the listener has caught up)");

		emit(python, FLOOD, 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> listener.received.contains(FLOOD));
	}

	private void emit(String python, int first, int count) throws Exception {
		String script = """
				import sys, dbus, dbus.lowlevel
				bus = dbus.bus.BusConnection(sys.argv[1])
				first, count = int(sys.argv[2]), int(sys.argv[3])
				for i in range(first, first + count):
				    m = dbus.lowlevel.SignalMessage('/flood', 'dev.ipcboot.test.Flood', 'Tick')
				    m.append(dbus.Int32(i))
				    bus.send_message(m)
				bus.send_message(dbus.lowlevel.SignalMessage('/flood', 'dev.ipcboot.test.Flood', 'End'))
				bus.flush()
				""";
		Process process = new ProcessBuilder(python, "-c", script, this.daemon.address(), String.valueOf(first),
				String.valueOf(count))
			.redirectErrorStream(true)
			.start();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(printed).isZero();
	}

	private static long dropped(CapturedOutput output) {
		long total = 0;
		Matcher matcher = DROPPED.matcher(output.getOut());
		while (matcher.find()) {
			total += Long.parseLong(matcher.group(1));
		}
		return total;
	}

	static class BlockedListener {

		final CountDownLatch release = new CountDownLatch(1);

		final List<Integer> received = new CopyOnWriteArrayList<>();

		final AtomicInteger ends = new AtomicInteger();

		@IpcListener("flood-end")
		void end() {
			this.ends.incrementAndGet();
		}

		@IpcListener("flood")
		void tick(int i) throws InterruptedException {
			this.received.add(i);
			this.release.await(120, TimeUnit.SECONDS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, DBusAutoConfiguration.class })
	static class App {

		@Bean
		BlockedListener blockedListener() {
			return new BlockedListener();
		}

	}

}
