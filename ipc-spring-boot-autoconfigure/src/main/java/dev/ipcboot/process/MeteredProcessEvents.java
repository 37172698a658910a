package dev.ipcboot.process;

import org.springframework.context.ApplicationEventPublisher;

import dev.ipcboot.internal.IpcMetrics;

/**
 * The event publisher of the process facility: records starts, restarts and exits in
 * {@link IpcMetrics} from the events the runs publish anyway, so that counting needs no
 * code of its own in the runs, then passes every event on.
 */
final class MeteredProcessEvents implements ApplicationEventPublisher {

	private final ApplicationEventPublisher delegate;

	private final IpcMetrics metrics;

	MeteredProcessEvents(ApplicationEventPublisher delegate, IpcMetrics metrics) {
		this.delegate = delegate;
		this.metrics = metrics;
	}

	@Override
	public void publishEvent(Object event) {
		if (event instanceof ProcessStartedEvent started) {
			this.metrics.processStarted(started.resourceName());
		}
		else if (event instanceof ProcessFinishedEvent finished) {
			this.metrics.processExited(finished.resourceName(), outcome(finished));
		}
		else if (event instanceof ProcessRestartingEvent restarting) {
			this.metrics.processRestarted(restarting.resourceName());
		}
		this.delegate.publishEvent(event);
	}

	private static String outcome(ProcessFinishedEvent finished) {
		if (finished.getExitStatus() == ExitStatus.CRASHED) {
			return "crashed";
		}
		return (finished.getExitCode() == 0) ? "normal" : "failed";
	}

}
