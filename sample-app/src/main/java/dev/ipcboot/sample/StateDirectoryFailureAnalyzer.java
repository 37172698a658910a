package dev.ipcboot.sample;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an unsafe {@code order-desk.dir} at start-up as what is wrong and what to do,
 * instead of a stack trace.
 */
class StateDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeStateDirectoryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsafeStateDirectoryException cause) {
		return new FailureAnalysis(
				"The order desk's private directory (property order-desk.dir) is not safe to use: "
						+ cause.getMessage(),
				"Fix it: " + cause.fix() + ". The desk keeps its state there and creates it with mode 0700 when it"
						+ " is missing.",
				cause);
	}

}
