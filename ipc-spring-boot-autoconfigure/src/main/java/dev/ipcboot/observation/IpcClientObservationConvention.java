package dev.ipcboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observations of client requests; define a bean of this type to
 * replace {@link DefaultIpcClientObservationConvention}.
 */
public interface IpcClientObservationConvention extends ObservationConvention<IpcClientObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof IpcClientObservationContext;
	}

}
