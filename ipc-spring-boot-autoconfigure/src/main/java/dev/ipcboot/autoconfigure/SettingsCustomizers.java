package dev.ipcboot.autoconfigure;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.springframework.beans.factory.ObjectProvider;

import dev.ipcboot.IpcConfigurationException;

/**
 * Applies customizer beans to a settings builder as Boot does: every bean, in
 * {@link ObjectProvider#orderedStream()} order, then builds. A customizer that throws, or
 * settings it left invalid, fail with an {@link IpcConfigurationException} naming the
 * entry's property.
 */
final class SettingsCustomizers {

	private SettingsCustomizers() {
	}

	/**
	 * Customize and build.
	 * @param property the entry's property, {@code ipc.servers.<name>}
	 * @param builder the settings builder
	 * @param customizers the customizer beans
	 * @param customize calls one customizer with the builder
	 * @param build builds the settings
	 * @return the settings
	 */
	static <C, B, S> S apply(String property, B builder, ObjectProvider<C> customizers, BiConsumer<C, B> customize,
			Function<B, S> build) {
		customizers.orderedStream().forEach((customizer) -> {
			try {
				customize.accept(customizer, builder);
			}
			catch (RuntimeException ex) {
				throw failure(property, customizer.getClass().getName() + " failed: " + ex.getMessage(), ex);
			}
		});
		try {
			return build.apply(builder);
		}
		catch (RuntimeException ex) {
			throw failure(property, "the customized settings are invalid: " + ex.getMessage(), ex);
		}
	}

	private static IpcConfigurationException failure(String property, String problem, RuntimeException cause) {
		IpcConfigurationException failure = new IpcConfigurationException(property, problem,
				"Fix the customizer bean, or the properties under " + property + ".");
		failure.initCause(cause);
		return failure;
	}

}
