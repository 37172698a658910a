package dev.ipcboot.internal.natives;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints a native image needs for JNA in this package: the library interfaces as
 * proxies with invocable methods, and the direct-mapped classes for reflection and JNI.
 */
class NativeRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	NativeRuntimeHintsTests() {
		new NativeRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void libraryInterfacesAreProxiesWithInvocableMethods() throws Exception {
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(ProcessLibC.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ProcessLibC.class, "waitpid"))
			.accepts(this.hints);
		Class<?> descriptorCalls = Class.forName("dev.ipcboot.internal.natives.DescriptorCalls$C");
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(descriptorCalls)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(descriptorCalls, "dup2")).accepts(this.hints);
	}

	@Test
	void directMappedClassesHaveTheirNativeMethodsForReflectionAndJni() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PosixIpc.class, "shm_open"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SystemVIpc.class, "shmget"))
			.accepts(this.hints);
		TypeHint jni = this.hints.jni().getTypeHint(PosixIpc.class);
		assertThat(jni).isNotNull();
		assertThat(jni.getMemberCategories()).contains(MemberCategory.INVOKE_DECLARED_METHODS);
		assertThat(this.hints.jni().getTypeHint(TypeReference.of("com.sun.jna.LastErrorException"))).isNotNull();
	}

	@Test
	void registrarIsListedInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(NativeRuntimeHints.class);
	}

}
