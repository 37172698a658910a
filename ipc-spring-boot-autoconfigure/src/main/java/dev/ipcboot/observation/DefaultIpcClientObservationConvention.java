package dev.ipcboot.observation;

import io.micrometer.common.KeyValues;

/**
 * Default names and tags of client request observations: name {@code ipc.client},
 * low-cardinality keys {@code ipc.client} and {@code ipc.transport}.
 */
public class DefaultIpcClientObservationConvention implements IpcClientObservationConvention {

	/** The shared instance. */
	public static final DefaultIpcClientObservationConvention INSTANCE = new DefaultIpcClientObservationConvention();

	@Override
	public String getName() {
		return "ipc.client";
	}

	@Override
	public String getContextualName(IpcClientObservationContext context) {
		return context.getClient() + " request";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(IpcClientObservationContext context) {
		return KeyValues.of("ipc.client", context.getClient(), "ipc.transport", context.getTransport());
	}

}
