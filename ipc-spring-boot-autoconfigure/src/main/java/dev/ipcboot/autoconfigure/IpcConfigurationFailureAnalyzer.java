package dev.ipcboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.ipcboot.IpcConfigurationException;

/**
 * Turns an {@link IpcConfigurationException} into a start-up failure report that names
 * the property and the fix.
 */
class IpcConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<IpcConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, IpcConfigurationException cause) {
		String description = "Invalid IPC configuration:\n\n    Property: " + cause.getProperty() + "\n    Problem:  "
				+ cause.getMessage().substring(cause.getProperty().length() + 2);
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
