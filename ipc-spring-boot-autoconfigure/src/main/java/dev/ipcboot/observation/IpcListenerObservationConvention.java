package dev.ipcboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of listener invocations; define a bean of this type to
 * replace {@link DefaultIpcListenerObservationConvention} (for example to extend it with
 * a key of your own).
 */
public interface IpcListenerObservationConvention extends ObservationConvention<IpcListenerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof IpcListenerObservationContext;
	}

}
