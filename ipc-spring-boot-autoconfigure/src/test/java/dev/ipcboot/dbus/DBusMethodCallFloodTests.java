package dev.ipcboot.dbus;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
import dev.ipcboot.autoconfigure.IpcMetricsAutoConfiguration;
import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.OurThreads;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A python3-dbus peer floods method calls at an exported object whose methods do not
 * answer yet (blocked on a latch, or returning stages that are not complete): what waits
 * for an answer is bounded ({@link CallBudget#MAX_CALLS}); the calls beyond it are not
 * queued but answered at once with {@code org.freedesktop.DBus.Error.LimitsExceeded}, or
 * dropped and counted when they expect no reply (a {@code dbus-send} calling meanwhile
 * gets the error name too); every call under the bound is answered once the object
 * catches up. Before the bound every call waited on the heap in dbus-java's unbounded
 * queue. After the context closes no thread of ours is left.
 * <p>
 * The bus allows a caller 50,000 pending replies, as a session bus does (the daemon's
 * built-in limit, 128, would refuse the flood before it reaches the application).
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DBusMethodCallFloodTests {

	private static final String NAME = "dev.ipcboot.test.Flooded";

	private static final int EXCESS = 500;

	private static final int FLOOD = CallBudget.MAX_CALLS + EXCESS;

	private static final Pattern REFUSAL_LINE = Pattern
		.compile("D-Bus connection 'dbus' (refused|dropped) a call to dev\\.ipcboot\\.test\\.Flood\\.");

	@TempDir
	static Path directory;

	private static PrivateBusDaemon daemon;

	private static String python;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startBus() {
		python = Tools.requirePythonModule("dbus.lowlevel", "python3-dbus");
		daemon = PrivateBusDaemon.start(directory, "  <limit name=\"max_replies_per_connection\">50000</limit>\n");
	}

	@AfterAll
	static void stopBus() {
		if (daemon != null) {
			daemon.close();
		}
	}

	@BeforeEach
	void startApplication() {
		this.context = TestApps.start(App.class, "ipc.dbus.bus=" + daemon.address(), "ipc.dbus.service-name=" + NAME);
	}

	@AfterEach
	void closeApplication() {
		if (this.context != null) {
			this.context.getBean(FloodedBean.class).release();
			this.context.close();
		}
	}

	@Test
	@Order(1)
	void callsBeyondTheBoundFromAFloodingPeerGetLimitsExceededAtOnceAndEveryCallUnderItIsAnswered(CapturedOutput output)
			throws Exception {
		FloodedBean flooded = this.context.getBean(FloodedBean.class);
		IncomingCallLimit limit = this.context.getBean(BusConnection.class).callLimit();

		long start = System.nanoTime();
		Process peer = flood("Take", FLOOD, false);
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(limit.refused()).as("calls refused").isEqualTo(EXCESS));
		assertThat(limit.pending()).as("calls waiting for an answer").isEqualTo(CallBudget.MAX_CALLS);
		assertThat(pendingGauge()).isEqualTo(CallBudget.MAX_CALLS);
		assertThat(refusedCounter("error")).isEqualTo(EXCESS);
		// another foreign client calling meanwhile gets the error name at once
		Commands.Result dbusSend = Commands.run("dbus-send", "dbus", "--bus=" + daemon.address(), "--print-reply",
				"--dest=" + NAME, FloodedBean.PATH, "dev.ipcboot.test.Flood.Take", "int32:1");
		assertThat(dbusSend.exitCode()).isNotZero();
		assertThat(dbusSend.output()).contains("Error org.freedesktop.DBus.Error.LimitsExceeded: Too many calls");
		assertThat(limit.refused()).isEqualTo(EXCESS + 1);
		long floodSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		await().atMost(Duration.ofSeconds(10)).until(() -> !flooded.taken.isEmpty());
		assertThat(flooded.taken.size()).as("calls running, blocked").isLessThan(CallBudget.MAX_CALLS);

		flooded.release();
		Map<String, String> result = finish(peer);
		assertThat(result.get("answered")).as("calls answered with their own result")
			.isEqualTo(String.valueOf(CallBudget.MAX_CALLS));
		assertThat(result.get("answered_are_first")).as("the calls answered are the first sent").isEqualTo("True");
		assertThat(result.get("wrong")).isEqualTo("0");
		assertThat(result.get("limits")).isEqualTo(String.valueOf(EXCESS));
		assertThat(result.get("limits_are_last")).as("the calls refused are the last sent").isEqualTo("True");
		assertThat(result.get("limit_message")).contains("Too many calls wait for an answer")
			.contains("at most " + CallBudget.MAX_CALLS + " calls or 16 MiB");
		assertThat(result.get("other")).as(result.get("other_sample")).isEqualTo("0");
		assertThat(flooded.taken).hasSize(CallBudget.MAX_CALLS);
		await().atMost(Duration.ofSeconds(10)).until(() -> limit.pending() == 0);

		// the first refusal is logged at once, the others at most once per 10 s
		assertThat(refusalLines(output)).as("WARN lines for %d refusals in %d s", EXCESS + 1, floodSeconds)
			.hasSizeBetween(1, (int) (1 + floodSeconds / 10))
			.allMatch((line) -> line.contains("refused") && line.contains(IncomingCallLimit.LIMITS_EXCEEDED));
		assertThat(output.getOut()).contains("10000 calls or 16 MiB wait for an answer at most");

		// the connection serves as before
		Commands.Result busctl = Commands.busctl(daemon.address(), "call", NAME, FloodedBean.PATH,
				"dev.ipcboot.test.Flood", "Take", "i", "7");
		assertThat(busctl.output().strip()).isEqualTo("i 7");
		closeAndAssertNothingLeft();
	}

	@Test
	@Order(2)
	void callsExpectingNoReplyBeyondTheBoundFromAFloodingPeerAreDroppedAndCountedAndTheRestRun() throws Exception {
		FloodedBean flooded = this.context.getBean(FloodedBean.class);
		IncomingCallLimit limit = this.context.getBean(BusConnection.class).callLimit();

		Process peer = flood("Take", FLOOD, true);
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(limit.dropped()).as("calls dropped").isEqualTo(EXCESS));
		assertThat(limit.pending()).isEqualTo(CallBudget.MAX_CALLS);
		assertThat(limit.refused()).isZero();
		assertThat(refusedCounter("none")).isEqualTo(EXCESS);
		Map<String, String> result = finish(peer);
		assertThat(result.get("sent")).isEqualTo(String.valueOf(FLOOD));

		flooded.release();
		await().atMost(Duration.ofSeconds(60)).until(() -> flooded.taken.size() == CallBudget.MAX_CALLS);
		assertThat(flooded.taken.stream().sorted().toList()).as("the calls run are the first sent")
			.isEqualTo(IntStream.range(0, CallBudget.MAX_CALLS).boxed().toList());
		await().atMost(Duration.ofSeconds(10)).until(() -> limit.pending() == 0);
		closeAndAssertNothingLeft();
	}

	@Test
	@Order(3)
	void delayedRepliesPendingFromAFloodingPeerCountTowardsTheBoundAndAreAllAnsweredWhenTheirStagesComplete()
			throws Exception {
		FloodedBean flooded = this.context.getBean(FloodedBean.class);
		IncomingCallLimit limit = this.context.getBean(BusConnection.class).callLimit();

		Process peer = flood("Promise", FLOOD, false);
		await().atMost(Duration.ofSeconds(90))
			.untilAsserted(() -> assertThat(limit.refused()).as("calls refused").isEqualTo(EXCESS));
		await().atMost(Duration.ofSeconds(30)).until(() -> flooded.promised.size() == CallBudget.MAX_CALLS);
		assertThat(limit.pending()).isEqualTo(CallBudget.MAX_CALLS);

		flooded.promised.forEach((promise) -> promise.reply.complete(promise.value));
		Map<String, String> result = finish(peer);
		assertThat(result.get("answered")).isEqualTo(String.valueOf(CallBudget.MAX_CALLS));
		assertThat(result.get("answered_are_first")).isEqualTo("True");
		assertThat(result.get("wrong")).isEqualTo("0");
		assertThat(result.get("limits")).isEqualTo(String.valueOf(EXCESS));
		assertThat(result.get("limits_are_last")).isEqualTo("True");
		assertThat(result.get("other")).as(result.get("other_sample")).isEqualTo("0");
		await().atMost(Duration.ofSeconds(10)).until(() -> limit.pending() == 0);
		closeAndAssertNothingLeft();
	}

	@Test
	@Order(4)
	void peerThatCallsAndHangsUpBeforeItsRepliesLeavesNoBouncedErrorsQueuedInDbusJava() throws Exception {
		FloodedBean flooded = this.context.getBean(FloodedBean.class);
		BusConnection connection = this.context.getBean(BusConnection.class);
		BusReader reader = BusReader.of(connection.connection());
		assertThat(reader).isNotNull();
		int calls = 2_000;
		String script = """
				import sys, dbus, dbus.lowlevel
				bus = dbus.bus.BusConnection(sys.argv[1])
				for i in range(int(sys.argv[3])):
				    m = dbus.lowlevel.MethodCallMessage(sys.argv[2], '/dev/ipcboot/Flood', 'dev.ipcboot.test.Flood', 'Take')
				    m.append(dbus.Int32(i))
				    bus.send_message(m)
				bus.flush()
				bus.close()
				""";
		Process peer = new ProcessBuilder(python, "-c", script, daemon.address(), NAME, String.valueOf(calls))
			.redirectErrorStream(true)
			.start();
		finish(peer);
		// every reply leaves after the peer has gone
		await().atMost(Duration.ofSeconds(30)).until(() -> connection.callLimit().pending() == calls);
		flooded.release();
		await().atMost(Duration.ofSeconds(60)).until(() -> flooded.taken.size() == calls);
		// the bus returns each reply it cannot deliver as an error; the reader empties
		// dbus-java's queue of them when it reads the next message
		await().atMost(Duration.ofSeconds(60)).until(() -> reader.unmatchedErrors() >= calls - 1);
		Commands.Result busctl = Commands.busctl(daemon.address(), "call", NAME, FloodedBean.PATH,
				"dev.ipcboot.test.Flood", "Take", "i", "4242");
		assertThat(busctl.output().strip()).isEqualTo("i 4242");
		assertThat(reader.unmatchedErrors()).as("bounced replies dropped").isEqualTo(calls);
		assertThat(pendingErrors(connection)).as("errors left in dbus-java's queue").isZero();
		assertThat(connection.callLimit().pending()).isZero();
		closeAndAssertNothingLeft();
	}

	private static int pendingErrors(BusConnection connection) throws Exception {
		Method queue = AbstractConnectionBase.class.getDeclaredMethod("getPendingErrorQueue");
		queue.setAccessible(true);
		return ((Queue<?>) queue.invoke(connection.connection())).size();
	}

	/**
	 * Start a peer that sends {@code count} calls of a member as fast as it can, then
	 * waits for every reply and prints what it got.
	 */
	private Process flood(String member, int count, boolean noReply) throws IOException {
		String script = """
				import sys, dbus, dbus.lowlevel
				address, dest, member, count, no_reply = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == '1'
				bus = dbus.bus.BusConnection(address)
				results = [None] * count
				def handler(i):
				    def handle(reply):
				        if isinstance(reply, dbus.lowlevel.ErrorMessage):
				            args = reply.get_args_list()
				            results[i] = ('error', reply.get_error_name(), str(args[0]) if args else '')
				        else:
				            results[i] = ('reply', int(reply.get_args_list()[0]))
				    return handle
				pending = []
				for i in range(count):
				    m = dbus.lowlevel.MethodCallMessage(dest, '/dev/ipcboot/Flood', 'dev.ipcboot.test.Flood', member)
				    m.append(dbus.Int32(i))
				    if no_reply:
				        m.set_no_reply(True)
				        bus.send_message(m)
				    else:
				        pending.append(bus.send_message_with_reply(m, handler(i), 120.0, require_main_loop=False))
				bus.flush()
				print('sent=%d' % count, flush=True)
				for call in pending:
				    call.block()
				if not no_reply:
				    answered = [i for i, r in enumerate(results) if r is not None and r[0] == 'reply' and r[1] == i]
				    wrong = [i for i, r in enumerate(results) if r is not None and r[0] == 'reply' and r[1] != i]
				    limits = [i for i, r in enumerate(results) if r is not None and r[0] == 'error' and r[1] == 'org.freedesktop.DBus.Error.LimitsExceeded']
				    other = [r for r in results if r is None or (r[0] == 'error' and r[1] != 'org.freedesktop.DBus.Error.LimitsExceeded')]
				    print('answered=%d' % len(answered))
				    print('answered_are_first=%s' % (answered == list(range(len(answered)))))
				    print('wrong=%d' % len(wrong))
				    print('limits=%d' % len(limits))
				    print('limits_are_last=%s' % (limits == list(range(count - len(limits), count))))
				    print('limit_message=%s' % (results[limits[0]][2] if limits else ''))
				    print('other=%d' % len(other))
				    print('other_sample=%s' % (other[:3],))
				""";
		return new ProcessBuilder(python, "-c", script, daemon.address(), NAME, member, String.valueOf(count),
				noReply ? "1" : "0")
			.redirectErrorStream(true)
			.start();
	}

	private static Map<String, String> finish(Process peer) throws Exception {
		String printed = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(peer.waitFor(120, TimeUnit.SECONDS)).as(printed).isTrue();
		assertThat(peer.exitValue()).as(printed).isZero();
		Map<String, String> values = new HashMap<>();
		for (String line : printed.split("\n")) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				values.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return values;
	}

	private double pendingGauge() {
		Gauge gauge = this.context.getBean(SimpleMeterRegistry.class)
			.find("ipc.dbus.calls.pending")
			.tag("connection", "dbus")
			.gauge();
		assertThat(gauge).as("gauge ipc.dbus.calls.pending").isNotNull();
		return gauge.value();
	}

	private double refusedCounter(String reply) {
		FunctionCounter counter = this.context.getBean(SimpleMeterRegistry.class)
			.find("ipc.dbus.calls.refused")
			.tags("connection", "dbus", "reply", reply)
			.functionCounter();
		assertThat(counter).as("counter ipc.dbus.calls.refused").isNotNull();
		return counter.count();
	}

	private static List<String> refusalLines(CapturedOutput output) {
		List<String> lines = new ArrayList<>();
		for (String line : output.getOut().split("\n")) {
			Matcher matcher = REFUSAL_LINE.matcher(line);
			if (matcher.find()) {
				lines.add(line);
			}
		}
		return lines;
	}

	private void closeAndAssertNothingLeft() {
		this.context.getBean(FloodedBean.class).release();
		this.context.close();
		this.context = null;
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(OurThreads.alive("ipc-")).isEmpty();
			assertThat(OurThreads.alive("DBus")).isEmpty();
		});
		assertThat(ProcessHandle.current()
			.children()
			.filter(ProcessHandle::isAlive)
			.filter((child) -> child.info().command().map((command) -> command.endsWith("dbus-daemon")).orElse(false))
			.map(ProcessHandle::pid)).as("bus daemons: only the test's").containsExactly(daemon.pid());
	}

	/** The flooded object's D-Bus interface. */
	@DBusInterfaceName("dev.ipcboot.test.Flood")
	public interface Flood extends DBusInterface {

		int Take(int value);

		CompletionStage<Integer> Promise(int value);

	}

	record Promised(int value, CompletableFuture<Integer> reply) {

	}

	@DBusExport(path = FloodedBean.PATH)
	public static class FloodedBean implements Flood {

		static final String PATH = "/dev/ipcboot/Flood";

		final ConcurrentLinkedQueue<Integer> taken = new ConcurrentLinkedQueue<>();

		final ConcurrentLinkedQueue<Promised> promised = new ConcurrentLinkedQueue<>();

		private final CountDownLatch latch = new CountDownLatch(1);

		void release() {
			this.latch.countDown();
		}

		@Override
		public int Take(int value) {
			this.taken.add(value);
			try {
				this.latch.await(120, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return value;
		}

		@Override
		public CompletionStage<Integer> Promise(int value) {
			Promised promise = new Promised(value, new CompletableFuture<>());
			this.promised.add(promise);
			return promise.reply;
		}

		@Override
		public String getObjectPath() {
			return PATH;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ IpcListenerAutoConfiguration.class, IpcMetricsAutoConfiguration.class,
			DBusAutoConfiguration.class })
	static class App {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		FloodedBean floodedBean() {
			return new FloodedBean();
		}

	}

}
