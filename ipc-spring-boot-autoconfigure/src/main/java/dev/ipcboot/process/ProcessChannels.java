package dev.ipcboot.process;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcChannelSource;
import dev.ipcboot.process.internal.ProcessDefinition;

/**
 * The channels of the configured processes, one per {@code ipc.processes.<name>}.
 */
final class ProcessChannels implements IpcChannelSource {

	private final Map<String, ProcessChannel> channels = new LinkedHashMap<>();

	/**
	 * Create the channels.
	 * @param definitions the configured processes
	 */
	ProcessChannels(Collection<ProcessDefinition> definitions) {
		for (ProcessDefinition definition : definitions) {
			this.channels.put(definition.name(), new ProcessChannel(definition.spec()));
		}
	}

	@Override
	public Collection<? extends IpcChannel> channels() {
		return this.channels.values();
	}

	/**
	 * The channel of one process.
	 * @param name the process name
	 * @return the channel, or {@code null} if no process has that name
	 */
	@Nullable ProcessChannel get(String name) {
		return this.channels.get(name);
	}

}
