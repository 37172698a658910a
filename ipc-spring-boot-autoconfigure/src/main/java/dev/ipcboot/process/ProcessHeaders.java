package dev.ipcboot.process;

/**
 * Names of the message headers a managed process's output channel sets, for use with
 * {@code @Header} on {@link dev.ipcboot.listener.IpcListener} methods. The header every
 * channel sets is {@link dev.ipcboot.listener.IpcHeaders#CHANNEL}.
 */
public final class ProcessHeaders {

	/** Name of the managed process whose output the message is ({@code String}). */
	public static final String NAME = "ipc_processName";

	/** Stream of the output line: {@code stdout} or {@code stderr} ({@code String}). */
	public static final String STREAM = "ipc_processStream";

	private ProcessHeaders() {
	}

}
