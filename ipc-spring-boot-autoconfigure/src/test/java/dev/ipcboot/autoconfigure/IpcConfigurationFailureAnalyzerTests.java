package dev.ipcboot.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.ipcboot.IpcConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up failure report for invalid configuration.
 */
class IpcConfigurationFailureAnalyzerTests {

	@Test
	void analysisNamesThePropertyTheProblemAndTheFix() {
		IpcConfigurationException cause = new IpcConfigurationException("ipc.servers.orders.port",
				"70000 is not a TCP port", "Use a port from 0 to 65535.");
		FailureAnalysis analysis = new IpcConfigurationFailureAnalyzer()
			.analyze(new IllegalStateException("context failed", cause));
		assertThat(analysis.getDescription()).contains("Property: ipc.servers.orders.port")
			.contains("Problem:  70000 is not a TCP port");
		assertThat(analysis.getAction()).isEqualTo("Use a port from 0 to 65535.");
		assertThat(analysis.getCause()).isSameAs(cause);
	}

	@Test
	void otherFailuresAreNotAnalysed() {
		assertThat(new IpcConfigurationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

}
