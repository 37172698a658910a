package dev.ipcboot.process;

import java.time.Duration;

import dev.ipcboot.IpcEvent;

/**
 * Published when supervision stops restarting a process because it was restarted
 * {@code max-restarts} times within {@code restart-window}. Start it again with
 * {@link ProcessManager#start(String)}.
 */
public class ProcessGaveUpEvent extends IpcEvent {

	private final int restarts;

	private final Duration window;

	/**
	 * Create a new event.
	 * @param last the last run
	 * @param restarts restarts within the window
	 * @param window the window
	 */
	public ProcessGaveUpEvent(ManagedProcess last, int restarts, Duration window) {
		super(last, last.name());
		this.restarts = restarts;
		this.window = window;
	}

	/**
	 * Restarts that happened within the window.
	 * @return the count
	 */
	public int getRestarts() {
		return this.restarts;
	}

	/**
	 * The window.
	 * @return the window
	 */
	public Duration getWindow() {
		return this.window;
	}

}
