package dev.ipcboot.aot;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK 21 thread methods {@code IpcThreads} looks up are in the hints.
 */
class ThreadsRuntimeHintsTests {

	@Test
	void virtualThreadBuilderMethodsAreInvocable() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(hints.reflection().getTypeHint(Thread.class).methods())
			.anySatisfy((method) -> assertThat(method.getName()).isEqualTo("ofVirtual"));
		assertThat(hints.reflection().getTypeHint(TypeReference.of("java.lang.Thread$Builder")).methods())
			.extracting("name")
			.contains("name", "unstarted");
		assertThat(RuntimeHintsPredicates.reflection().onType(Thread.class)).accepts(hints);
	}

}
