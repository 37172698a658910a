package dev.ipcboot.observation;

import io.micrometer.common.KeyValues;

import dev.ipcboot.socket.SocketHeaders;

/**
 * Default names and tags of listener observations: name {@code ipc.listener},
 * low-cardinality keys {@code ipc.channel} and {@code ipc.listener}, and the connection
 * id as a high-cardinality key when the channel has connections.
 */
public class DefaultIpcListenerObservationConvention implements IpcListenerObservationConvention {

	/** The shared instance. */
	public static final DefaultIpcListenerObservationConvention INSTANCE = new DefaultIpcListenerObservationConvention();

	@Override
	public String getName() {
		return "ipc.listener";
	}

	@Override
	public String getContextualName(IpcListenerObservationContext context) {
		return context.getChannel() + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(IpcListenerObservationContext context) {
		return KeyValues.of("ipc.channel", context.getChannel(), "ipc.listener", context.getListener());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(IpcListenerObservationContext context) {
		Object connection = context.getMessage().getHeaders().get(SocketHeaders.CONNECTION_ID);
		return (connection != null) ? KeyValues.of("ipc.connection.id", connection.toString()) : KeyValues.empty();
	}

}
