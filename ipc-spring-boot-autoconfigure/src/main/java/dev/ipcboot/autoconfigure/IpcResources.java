package dev.ipcboot.autoconfigure;

import java.util.function.Supplier;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceSource;

/**
 * Reads the current resources of every facility from their {@link IpcResourceSource}
 * beans, in order, on every call.
 */
final class IpcResources {

	private IpcResources() {
	}

	static Supplier<Stream<? extends IpcResource>> from(ObjectProvider<IpcResourceSource> sources) {
		return () -> sources.orderedStream().flatMap((source) -> source.resources().stream());
	}

}
