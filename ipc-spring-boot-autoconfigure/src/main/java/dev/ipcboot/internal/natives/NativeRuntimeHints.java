package dev.ipcboot.internal.natives;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What JNA reaches by reflection, JNI and JDK proxies in this package, for a native
 * image: the C library interfaces {@code Native.load} implements as proxies and whose
 * methods it reads, and the classes whose {@code native} methods {@code Native.register}
 * binds. The package declares no {@code Structure} or {@code Callback} types (structures
 * are plain {@code Memory} blocks), so there are none to register; JNA's own classes come
 * with the metadata its jar ships.
 */
class NativeRuntimeHints implements RuntimeHintsRegistrar {

	/** Interfaces {@code Native.load} turns into proxies. */
	static final TypeReference[] LIBRARIES = { TypeReference.of(ProcessLibC.class),
			TypeReference.of("dev.ipcboot.internal.natives.DescriptorCalls$C") };

	/** Classes whose {@code native} methods {@code Native.register} binds. */
	static final Class<?>[] DIRECT_MAPPED = { PosixIpc.class, SystemVIpc.class, RingCalls.class, Futex.Unchecked.class,
			Futex.Checked.class };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (TypeReference library : LIBRARIES) {
			hints.proxies().registerJdkProxy(library);
			hints.reflection().registerType(library, MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		for (Class<?> type : DIRECT_MAPPED) {
			hints.reflection().registerType(type, MemberCategory.INVOKE_DECLARED_METHODS);
			hints.jni().registerType(type, MemberCategory.INVOKE_DECLARED_METHODS);
		}
		// the exception JNA constructs from native code for errno
		hints.jni()
			.registerType(TypeReference.of("com.sun.jna.LastErrorException"),
					MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
	}

}
