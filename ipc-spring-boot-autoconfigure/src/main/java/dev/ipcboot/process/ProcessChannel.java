package dev.ipcboot.process;

import java.util.Arrays;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcHeaders;
import dev.ipcboot.listener.IpcMessageListener;

/**
 * The output of a configured process as a channel: each line is a {@code byte[]} message
 * with headers {@link IpcHeaders#CHANNEL}, {@link ProcessHeaders#NAME} and
 * {@link ProcessHeaders#STREAM}, delivered on the process's pump thread to every listener
 * in turn. Replies are written to the process's standard input.
 */
final class ProcessChannel implements IpcChannel, IpcResource {

	private static final Log logger = LogFactory.getLog(ProcessChannel.class);

	private final ProcessSpec spec;

	private final Map<String, Object> stdoutHeaders;

	private final Map<String, Object> stderrHeaders;

	private volatile IpcMessageListener[] listeners = new IpcMessageListener[0];

	private volatile @Nullable IpcResource process;

	ProcessChannel(ProcessSpec spec) {
		this.spec = spec;
		this.stdoutHeaders = headers("stdout");
		this.stderrHeaders = headers("stderr");
	}

	private Map<String, Object> headers(String stream) {
		return Map.of(IpcHeaders.CHANNEL, this.spec.name(), ProcessHeaders.NAME, this.spec.name(),
				ProcessHeaders.STREAM, stream);
	}

	@Override
	public String name() {
		return this.spec.name();
	}

	@Override
	public String kind() {
		return "process";
	}

	@Override
	public String property() {
		return "ipc.processes." + this.spec.name();
	}

	@Override
	public synchronized void addListener(IpcMessageListener listener) {
		if (this.spec.output() == OutputMode.FORWARDED) {
			throw new IpcConfigurationException(property() + ".output",
					"output is forwarded to the log, so listener " + listener.describe() + " would receive nothing",
					"Set " + property() + ".output to separate or merged, or remove the listener.");
		}
		boolean stdoutPiped = this.spec.stdout().type() == Redirect.Type.PIPE;
		boolean stderrPiped = this.spec.output() != OutputMode.MERGED
				&& this.spec.stderr().type() == Redirect.Type.PIPE;
		if (!stdoutPiped && !stderrPiped) {
			throw new IpcConfigurationException(property() + ".stdout",
					"stdout and stderr are redirected (" + this.spec.stdout() + ", "
							+ ((this.spec.output() == OutputMode.MERGED) ? "merged" : this.spec.stderr())
							+ "), so listener " + listener.describe() + " would receive nothing",
					"Set " + property() + ".stdout or .stderr to pipe, or remove the listener.");
		}
		IpcMessageListener[] more = Arrays.copyOf(this.listeners, this.listeners.length + 1);
		more[more.length - 1] = listener;
		this.listeners = more;
	}

	/**
	 * Channel, process name and stream.
	 * @return the header names
	 */
	@Override
	public java.util.Set<String> headers() {
		return java.util.Set.of(IpcHeaders.CHANNEL, ProcessHeaders.NAME, ProcessHeaders.STREAM);
	}

	/**
	 * The state of the process whose output this channel carries, for the {@code ipc}
	 * endpoint.
	 * @return the process's state, or UNKNOWN when no process manager runs it
	 */
	@Override
	public IpcResourceState state() {
		IpcResource supervised = this.process;
		return (supervised != null) ? supervised.state() : IpcResourceState.unknown("no process manager runs it");
	}

	void stateFrom(IpcResource supervised) {
		this.process = supervised;
	}

	LineSink sink() {
		if (this.spec.output() == OutputMode.FORWARDED) {
			return new ForwardedOutput(this.spec.name());
		}
		return this::deliver;
	}

	private void deliver(ChildProcess process, String stream, byte[] line) {
		IpcMessageListener[] current = this.listeners;
		if (current.length == 0) {
			if (logger.isDebugEnabled()) {
				logger.debug("No listener on process channel '" + name() + "'; dropped a line of " + stream);
			}
			return;
		}
		Message<byte[]> message = new GenericMessage<>(line,
				new LineHeaders("stdout".equals(stream) ? this.stdoutHeaders : this.stderrHeaders));
		for (IpcMessageListener listener : current) {
			listener.onMessage(message, process.replyTarget());
		}
	}

	/** Headers without the random id and timestamp, which a line does not need. */
	private static final class LineHeaders extends MessageHeaders {

		LineHeaders(Map<String, Object> headers) {
			super(headers, ID_VALUE_NONE, -1L);
		}

	}

}
