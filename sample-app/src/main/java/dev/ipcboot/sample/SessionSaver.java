package dev.ipcboot.sample;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.ipcboot.session.SessionEvent;
import dev.ipcboot.session.SessionShutdownEvent;
import dev.ipcboot.session.SessionSleepEvent;
import dev.ipcboot.session.SystemdNotifier;

/**
 * Saves the order desk's state in the save phase, before the application stops or the
 * machine sleeps: how often the desk has started, when it last saved and why. The file is
 * written next to itself and moved into place, so a shutdown that cuts the save short
 * leaves the previous state intact.
 */
@Component
class SessionSaver {

	private static final Log logger = LogFactory.getLog(SessionSaver.class);

	private final Path stateFile;

	private final ObjectProvider<SystemdNotifier> systemd;

	private final AtomicLong starts = new AtomicLong();

	SessionSaver(@Value("${order-desk.state-file:${java.io.tmpdir}/order-desk/state.properties}") Path stateFile,
			ObjectProvider<SystemdNotifier> systemd) throws IOException {
		this.stateFile = stateFile;
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
		this.systemd.ifAvailable((notifier) -> notifier.status("Saving state to " + this.stateFile));
		Properties state = new Properties();
		state.setProperty("starts", Long.toString(this.starts.get()));
		state.setProperty("saved-at", Instant.ofEpochMilli(event.getTimestamp()).toString());
		state.setProperty("reason", why);
		Files.createDirectories(this.stateFile.toAbsolutePath().getParent());
		Path partial = this.stateFile.resolveSibling(this.stateFile.getFileName() + ".partial");
		try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
			state.store(writer, "order desk state");
		}
		Files.move(partial, this.stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		logger.info("Saved the order desk's state to " + this.stateFile + " (" + why + ")");
	}

	private long previousStarts() throws IOException {
		String starts = load().getProperty("starts", "0");
		try {
			return Long.parseLong(starts.trim());
		}
		catch (NumberFormatException ex) {
			logger.warn(this.stateFile + " has starts=" + starts + ", which is not a number; counting from 0 again");
			return 0;
		}
	}

	private Properties load() throws IOException {
		Properties state = new Properties();
		if (Files.exists(this.stateFile)) {
			try (Reader reader = Files.newBufferedReader(this.stateFile, StandardCharsets.UTF_8)) {
				state.load(reader);
			}
		}
		return state;
	}

}
