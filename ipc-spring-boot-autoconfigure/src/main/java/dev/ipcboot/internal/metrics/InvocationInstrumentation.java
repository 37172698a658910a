package dev.ipcboot.internal.metrics;

import io.micrometer.core.instrument.Counter;

import dev.ipcboot.internal.IpcInvocationMetrics;

/**
 * Instruments listener invocations and client requests in place of
 * {@link MicrometerIpcMetrics}'s timers; implemented with Micrometer observations when
 * {@code ipc.observation.enabled} is set.
 */
public interface InvocationInstrumentation {

	/**
	 * Instrument the invocations of listeners on one channel.
	 * @param channel the channel name
	 * @param listener the description of the listener method
	 * @param errors the counter of failed invocations, to increment on failure
	 * @return the handle
	 */
	IpcInvocationMetrics listener(String channel, String listener, Counter errors);

	/**
	 * Instrument the requests of one client.
	 * @param client the client name
	 * @param transport {@code local} or {@code tcp}
	 * @return the handle
	 */
	IpcInvocationMetrics client(String client, String transport);

}
