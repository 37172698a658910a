package dev.ipcboot.internal.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;
import dev.ipcboot.observation.DefaultIpcClientObservationConvention;
import dev.ipcboot.observation.DefaultIpcListenerObservationConvention;
import dev.ipcboot.observation.IpcClientObservationContext;
import dev.ipcboot.observation.IpcClientObservationConvention;
import dev.ipcboot.observation.IpcListenerObservationContext;
import dev.ipcboot.observation.IpcListenerObservationConvention;

/**
 * Observes listener invocations and client requests with Micrometer observations, named
 * and tagged by the application's conventions when it defines them and by the defaults
 * otherwise. With Boot's observation auto-configuration the observations become timers
 * ({@code ipc.listener}, {@code ipc.client}) and, with a tracer, spans.
 */
public class IpcObservationInstrumentation implements InvocationInstrumentation {

	private final ObservationRegistry registry;

	private final @Nullable IpcListenerObservationConvention listenerConvention;

	private final @Nullable IpcClientObservationConvention clientConvention;

	/**
	 * Create the instrumentation.
	 * @param registry the observation registry
	 * @param listenerConvention the application's listener convention, or {@code null}
	 * @param clientConvention the application's client convention, or {@code null}
	 */
	public IpcObservationInstrumentation(ObservationRegistry registry,
			@Nullable IpcListenerObservationConvention listenerConvention,
			@Nullable IpcClientObservationConvention clientConvention) {
		this.registry = registry;
		this.listenerConvention = listenerConvention;
		this.clientConvention = clientConvention;
	}

	@Override
	public IpcInvocationMetrics listener(String channel, String listener, Counter errors) {
		return (message) -> {
			// the adapter always passes the message; an empty one keeps the contract that
			// metrics never throw
			Message<?> observed = (message != null) ? message : MessageBuilder.withPayload(new byte[0]).build();
			Supplier<IpcListenerObservationContext> context = () -> new IpcListenerObservationContext(observed, channel,
					listener);
			return new Observed(Observation.createNotStarted(this.listenerConvention,
					DefaultIpcListenerObservationConvention.INSTANCE, context, this.registry), errors);
		};
	}

	@Override
	public IpcInvocationMetrics client(String client, String transport) {
		return (message) -> new Observed(
				Observation.createNotStarted(this.clientConvention, DefaultIpcClientObservationConvention.INSTANCE,
						() -> new IpcClientObservationContext(client, transport), this.registry),
				null);
	}

	private static final class Observed implements IpcInvocation {

		private final Observation observation;

		private final @Nullable Counter errors;

		Observed(Observation observation, @Nullable Counter errors) {
			this.observation = observation.start();
			this.errors = errors;
		}

		@Override
		public void success() {
			this.observation.stop();
		}

		@Override
		public void failure(Throwable error) {
			if (this.errors != null) {
				this.errors.increment();
			}
			this.observation.error(error);
			this.observation.stop();
		}

		@Override
		public Scope openScope() {
			Observation.Scope scope = this.observation.openScope();
			return scope::close;
		}

	}

}
