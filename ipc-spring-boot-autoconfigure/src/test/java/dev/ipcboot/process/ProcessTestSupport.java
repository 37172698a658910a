package dev.ipcboot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import dev.ipcboot.IpcEvent;
import dev.ipcboot.autoconfigure.IpcListenerAutoConfiguration;
import dev.ipcboot.autoconfigure.ProcessAutoConfiguration;

/**
 * Shared pieces of the process tests: a context runner with the process facility, an
 * event recorder and a liveness check by pid.
 */
final class ProcessTestSupport {

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
