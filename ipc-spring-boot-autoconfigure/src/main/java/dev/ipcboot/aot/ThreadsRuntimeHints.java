package dev.ipcboot.aot;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

import dev.ipcboot.IpcThreads;

/**
 * The JDK 21 methods {@link IpcThreads} looks up to start virtual threads while compiled
 * for Java 17: {@code Thread.ofVirtual()}, {@code Thread.Builder.name(String)} and
 * {@code Thread.Builder.unstarted(Runnable)}.
 */
class ThreadsRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(Thread.class,
					(type) -> type.withMethod("ofVirtual", java.util.List.of(), ExecutableMode.INVOKE))
			.registerType(TypeReference.of("java.lang.Thread$Builder"), (type) -> type
				.withMethod("name", java.util.List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE)
				.withMethod("unstarted", java.util.List.of(TypeReference.of(Runnable.class)), ExecutableMode.INVOKE));
	}

}
