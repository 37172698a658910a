package dev.ipcboot.internal;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * Times invocations of one listener or requests of one client, as a timer or, when
 * observations are enabled, as a Micrometer observation. Obtained once from
 * {@link IpcMetrics#listener} or {@link IpcMetrics#client}.
 */
public interface IpcInvocationMetrics {

	/** Records nothing. */
	IpcInvocationMetrics NONE = (message) -> IpcInvocation.NONE;

	/**
	 * Start timing one invocation or request. Call exactly one of
	 * {@link IpcInvocation#success()} and {@link IpcInvocation#failure(Throwable)} on the
	 * result, from any thread.
	 * @param message the message being handled or sent, or {@code null} when there is
	 * none
	 * @return the running invocation
	 */
	IpcInvocation start(@Nullable Message<?> message);

}
