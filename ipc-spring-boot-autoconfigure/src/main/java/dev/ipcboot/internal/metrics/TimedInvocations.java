package dev.ipcboot.internal.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

import dev.ipcboot.internal.IpcInvocation;
import dev.ipcboot.internal.IpcInvocationMetrics;

/**
 * Times invocations with one timer per outcome ({@code success}, {@code error}), both
 * registered up front.
 */
final class TimedInvocations implements IpcInvocationMetrics {

	private final Timer success;

	private final Timer error;

	private final @Nullable Counter errors;

	TimedInvocations(MeterRegistry registry, String name, String description, @Nullable Counter errors,
			String... tags) {
		this.success = timer(registry, name, description, Tags.of(tags).and("outcome", "success"));
		this.error = timer(registry, name, description, Tags.of(tags).and("outcome", "error"));
		this.errors = errors;
	}

	private static Timer timer(MeterRegistry registry, String name, String description, Tags tags) {
		return Timer.builder(name).description(description).tags(tags).register(registry);
	}

	@Override
	public IpcInvocation start(@Nullable Message<?> message) {
		return new Running(System.nanoTime());
	}

	private final class Running implements IpcInvocation {

		private final long start;

		Running(long start) {
			this.start = start;
		}

		@Override
		public void success() {
			TimedInvocations.this.success.record(System.nanoTime() - this.start, TimeUnit.NANOSECONDS);
		}

		@Override
		public void failure(Throwable error) {
			TimedInvocations.this.error.record(System.nanoTime() - this.start, TimeUnit.NANOSECONDS);
			if (TimedInvocations.this.errors != null) {
				TimedInvocations.this.errors.increment();
			}
		}

	}

}
