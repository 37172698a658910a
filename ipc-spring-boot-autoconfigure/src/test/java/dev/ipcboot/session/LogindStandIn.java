package dev.ipcboot.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ipcboot.dbus.internal.PrivateBusDaemon;
import dev.ipcboot.testsupport.Tools;

import static org.awaitility.Awaitility.await;

/**
 * A logind stand-in: Debian's python3-dbusmock with its {@code logind} template, on a
 * private bus daemon of its own. It is driven and inspected with {@code busctl}, the way
 * an administrator would look at the real logind.
 */
final class LogindStandIn implements AutoCloseable {

	static final String SERVICE = "org.freedesktop.login1";

	static final String PATH = "/org/freedesktop/login1";

	static final String MANAGER = "org.freedesktop.login1.Manager";

	private static final Pattern INHIBITOR = Pattern
		.compile("\"(shutdown|sleep)\" \"([^\"]*)\" \"[^\"]*\" \"(delay|block)\" \\d+ \\d+");

	private final Path directory;

	private PrivateBusDaemon bus;

	private Process mock;

	private LogindStandIn(Path directory) {
		this.directory = directory;
	}

	/**
	 * Start a bus whose socket is in the directory, and the logind template on it; wait
	 * until it owns its name.
	 */
	static LogindStandIn start(Path directory) throws IOException {
		Tools.require("busctl", "systemd");
		LogindStandIn standIn = new LogindStandIn(directory);
		standIn.startBusAndMock();
		return standIn;
	}

	private void startBusAndMock() throws IOException {
		this.bus = PrivateBusDaemon.start(this.directory);
		startMock();
	}

	private void startMock() throws IOException {
		String python = Tools.requirePythonModule("dbusmock", "python3-dbusmock");
		ProcessBuilder builder = new ProcessBuilder(python, "-m", "dbusmock", "--system", "--template", "logind")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("dbusmock.log").toFile()));
		// the template is a system bus service: point "the system bus" at our daemon
		builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", this.bus.address());
		this.mock = builder.start();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> busctl("call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
					"NameHasOwner", "s", SERVICE)
				.contains("true"));
	}

	/**
	 * Stop the bus and logind, and start both again at the same address, as after a
	 * restart of the system bus: the new logind knows no inhibitor.
	 */
	void restart() throws IOException, InterruptedException {
		close();
		startBusAndMock();
	}

	/** Stop logind and start it again on the same bus: its inhibitors are gone. */
	void restartLogind() throws IOException, InterruptedException {
		stopMock();
		startMock();
	}

	String address() {
		return this.bus.address();
	}

	/**
	 * The template's sessions cannot be found by pid (it has no {@code GetSessionByPID}):
	 * add session {@code id} with the mock's {@code AddSession}, and a
	 * {@code GetSessionByPID} that returns it for this pid and fails for any other with
	 * logind's {@code NoSessionForPID} error.
	 */
	void addSessionFor(long pid, String id) throws IOException {
		busctl("call", SERVICE, PATH, "org.freedesktop.DBus.Mock", "AddSession", "ssusb", id, "seat0", "1000", "tester",
				"true");
		String code = "if args[0] == " + pid + ":\n    ret = '" + PATH + "/session/" + id + "'\nelse:\n"
				+ "    raise dbus.exceptions.DBusException('No session for pid %d' % args[0],"
				+ " name='org.freedesktop.login1.NoSessionForPID')";
		busctl("call", SERVICE, PATH, "org.freedesktop.DBus.Mock", "AddMethod", "sssss", MANAGER, "GetSessionByPID",
				"u", "o", code);
	}

	/** Emit {@code PrepareForShutdown} or {@code PrepareForSleep} as logind does. */
	void emit(String member, boolean active) throws IOException {
		busctl("call", SERVICE, PATH, "org.freedesktop.DBus.Mock", "EmitSignal", "sssav", MANAGER, member, "b", "1",
				"b", Boolean.toString(active));
	}

	/**
	 * Behave like systemd 255 and later, which has
	 * {@code PreparingForShutdownWithMetadata} and sends
	 * {@code PrepareForShutdownWithMetadata} before {@code PrepareForShutdown}.
	 */
	void announceShutdownKinds() throws IOException {
		busctl("call", SERVICE, PATH, "org.freedesktop.DBus.Mock", "AddProperty", "ssv", MANAGER,
				"PreparingForShutdownWithMetadata", "a{sv}", "0");
	}

	/** Emit the two shutdown signals as systemd 255 and later does. */
	void emitShutdown(boolean active, String type) throws IOException {
		busctl("call", SERVICE, PATH, "org.freedesktop.DBus.Mock", "EmitSignal", "sssav", MANAGER,
				"PrepareForShutdownWithMetadata", "ba{sv}", "2", "b", Boolean.toString(active), "a{sv}", "1", "type",
				"s", type);
		emit("PrepareForShutdown", active);
	}

	/** Call {@code Lock} or {@code Unlock} on a session, which then emits that signal. */
	void callSession(String id, String method) throws IOException {
		busctl("call", SERVICE, PATH + "/session/" + id, "org.freedesktop.login1.Session", method);
	}

	/** The inhibitors logind lists, as {@code what who mode}. */
	List<String> inhibitors() throws IOException {
		String output = busctl("call", SERVICE, PATH, MANAGER, "ListInhibitors");
		List<String> found = new ArrayList<>();
		Matcher matcher = INHIBITOR.matcher(output);
		while (matcher.find()) {
			found.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
		}
		return found;
	}

	/**
	 * How many connections a process has on the bus, as {@code busctl list} shows them.
	 */
	long connectionsOf(long pid) throws IOException {
		return busctl("list", "--unique", "--no-legend").lines()
			.map((line) -> line.trim().split("\\s+"))
			.filter((fields) -> fields.length > 1 && fields[1].equals(Long.toString(pid)))
			.count();
	}

	/** What {@code systemd-inhibit --list} prints when this is the system bus. */
	String systemdInhibitList() throws IOException {
		Tools.require("systemd-inhibit", "systemd");
		return run(List.of("systemd-inhibit", "--list", "--no-pager"));
	}

	String busctl(String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("busctl", "--address=" + this.bus.address()));
		command.addAll(List.of(args));
		return run(command);
	}

	private String run(List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("DBUS_SYSTEM_BUS_ADDRESS", this.bus.address());
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError(command + " did not finish");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while running " + command, ex);
		}
		if (process.exitValue() != 0) {
			throw new AssertionError(command + " failed: " + output);
		}
		return output;
	}

	@Override
	public void close() throws InterruptedException {
		stopMock();
		this.bus.close();
	}

	private void stopMock() throws InterruptedException {
		this.mock.destroy();
		if (!this.mock.waitFor(5, TimeUnit.SECONDS)) {
			this.mock.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		}
	}

}
