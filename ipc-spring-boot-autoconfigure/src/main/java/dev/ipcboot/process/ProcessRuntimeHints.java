package dev.ipcboot.process;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The one resource the process facility reads: the class file of {@link GuardianMain},
 * which the guardian of die-with-parent children copies and runs in a small JVM when
 * there is no {@code /bin/sh}. (A native image has no JVM to run it with; there the
 * {@code /bin/sh} guardian is the one that works.)
 */
class ProcessRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerType(GuardianMain.class);
	}

}
