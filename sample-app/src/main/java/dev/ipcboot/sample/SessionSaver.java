package dev.ipcboot.sample;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.ipcboot.session.SessionEvent;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SessionSleepEvent;
import dev.ipcboot.session.SystemdNotifier;

/**
 * Saves the order desk's state in the save phase, before the application stops or the
 * machine sleeps: how often the desk has started, when it last saved and why. The file is
 * {@code state.properties} in the desk's private directory ({@code order-desk.dir}),
 * replaced atomically by {@link StateDirectory}: a shutdown that cuts the save short
 * leaves the previous state intact, and a symbolic link planted at its place is replaced,
 * never written through.
 */
@Component
class SessionSaver {

	static final String FILE_NAME = "state.properties";

	private static final Log logger = LogFactory.getLog(SessionSaver.class);

	private final StateDirectory directory;

	private final ObjectProvider<SystemdNotifier> systemd;

	private final AtomicLong starts = new AtomicLong();

	SessionSaver(StateDirectory directory, ObjectProvider<SystemdNotifier> systemd) {
		this.directory = directory;
		this.systemd = systemd;
		this.starts.set(previousStarts() + 1);
	}

	@EventListener
	void onShutdown(SessionShutdownEvent event) throws IOException {
		save(event, "shutdown: " + event.reason() + ((event.signal() != null) ? " SIG" + event.signal() : ""));
	}

	@EventListener
	void onSleep(SessionSleepEvent event) throws IOException {
		save(event, "sleep");
	}

	private void save(SessionEvent event, String why) throws IOException {
		this.systemd
			.ifAvailable((notifier) -> notifier.status("Saving state to " + this.directory.path().resolve(FILE_NAME)));
		Properties state = new Properties();
		state.setProperty("starts", Long.toString(this.starts.get()));
		state.setProperty("saved-at", Instant.ofEpochMilli(event.getTimestamp()).toString());
		state.setProperty("reason", why);
		StringWriter text = new StringWriter();
		state.store(text, "order desk state");
		Path file = this.directory.write(FILE_NAME, text.toString().getBytes(StandardCharsets.UTF_8), "rw-------");
		logger.info("Saved the order desk's state to " + file + " (" + why + ")");
	}

	private long previousStarts() {
		Properties state = new Properties();
		try {
			Optional<byte[]> bytes = this.directory.read(FILE_NAME);
			if (bytes.isPresent()) {
				state.load(new StringReader(new String(bytes.get(), StandardCharsets.UTF_8)));
			}
		}
		catch (IOException ex) {
			logger.warn("Could not read the previous state (" + ex.getMessage() + "); counting starts from 0 again");
			return 0;
		}
		String starts = state.getProperty("starts", "0");
		try {
			return Long.parseLong(starts.trim());
		}
		catch (NumberFormatException ex) {
			logger.warn(FILE_NAME + " has starts=" + starts + ", which is not a number; counting from 0 again");
			return 0;
		}
	}

}
