package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.ProcessAutoConfiguration;

/**
 * Shared pieces of the process tests: a context runner with the process facility, an
 * event recorder, a liveness check by pid and where to find the process guardian.
 */
final class ProcessTestSupport {

	/**
	 * Tag of tests of what only the native launcher does (exact exit status, process
	 * groups, die-with-parent, owner-only files); the run with the ProcessBuilder
	 * fallback leaves them out.
	 */
	static final String NATIVE_LAUNCHER = "native-launcher";

	private ProcessTestSupport() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(IpcListenerAutoConfiguration.class, ProcessAutoConfiguration.class))
			.withBean(Events.class);
	}

	/**
	 * Properties for {@code ipc.processes.<name>.command}, one indexed entry per argument
	 * so that commas and spaces survive.
	 */
	static String[] command(String name, String... arguments) {
		List<String> properties = new ArrayList<>();
		for (int i = 0; i < arguments.length; i++) {
			properties.add("ipc.processes." + name + ".command[" + i + "]=" + arguments[i]);
		}
		return properties.toArray(String[]::new);
	}

	/**
	 * Whether a process is alive; a zombie is not (it ended and waits for its adopter to
	 * reap it).
	 */
	static boolean isLive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			char state = stat.charAt(stat.lastIndexOf(')') + 2);
			return state != 'Z' && state != 'X';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The running process guardian: this JVM's child whose {@code argv[0]} is
	 * {@value ProcessGuardian#NAME} (a zombie's is empty), {@code -1} if none runs.
	 * @throws IllegalStateException if more than one runs, a guardian leaked by an
	 * earlier test
	 */
	static int guardianPid() {
		List<Long> guardians = ProcessHandle.current()
			.children()
			.map(ProcessHandle::pid)
			.filter((pid) -> argv0(pid).equals(ProcessGuardian.NAME))
			.toList();
		if (guardians.size() > 1) {
			throw new IllegalStateException("More than one process guardian runs: " + guardians);
		}
		return guardians.isEmpty() ? -1 : guardians.get(0).intValue();
	}

	private static String argv0(long pid) {
		try {
			String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
			int end = cmdline.indexOf('\0');
			return (end >= 0) ? cmdline.substring(0, end) : cmdline;
		}
		catch (IOException ex) {
			return ""; // it ended while we looked
		}
	}

	/** The process groups the manager's guardian would kill now. */
	static Set<Integer> guardedGroups(DefaultProcessManager manager) {
		return manager.launcher().guardian().groups();
	}

	/** Records every starter event in order. */
	static class Events implements ApplicationListener<IpcEvent> {

		final List<IpcEvent> all = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(IpcEvent event) {
			this.all.add(event);
		}

		<T extends IpcEvent> List<T> of(Class<T> type) {
			return this.all.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

}
