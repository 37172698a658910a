package dev.ipcboot.observability;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facilities must work without Actuator and Micrometer: the root package, the listener
 * pipeline and every facility reach observability only through the SPI and facade of
 * {@code dev.ipcboot.internal}, never through Micrometer, Actuator or our packages that
 * use them.
 */
class ObservabilityArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.ipcboot");

	private static final String[] RUNTIME = { "dev.ipcboot", "dev.ipcboot.internal", "dev.ipcboot.listener..",
			"dev.ipcboot.socket..", "dev.ipcboot.shm..", "dev.ipcboot.semaphore..", "dev.ipcboot.dbus..",
			"dev.ipcboot.process..", "dev.ipcboot.session..", "dev.ipcboot.internal.natives.." };

	/**
	 * The rules pass on an empty import or on dependencies ArchUnit cannot see; this
	 * shows that the runtime packages were imported and that the forbidden dependencies
	 * are seen where they are allowed.
	 */
	@Test
	void rulesSeeTheRuntimePackagesAndTheObservabilityDependencies() {
		for (String runtime : RUNTIME) {
			assertThat(CLASSES.that(JavaClass.Predicates.resideInAPackage(runtime))).as(runtime).isNotEmpty();
		}
		assertThat(dependsOn("dev.ipcboot.internal.metrics..", "io.micrometer..")).isTrue();
		assertThat(dependsOn("dev.ipcboot.actuate..", "org.springframework.boot.actuate..")).isTrue();
		assertThat(dependsOn("dev.ipcboot.autoconfigure..", "dev.ipcboot.internal.metrics..")).isTrue();
	}

	private static boolean dependsOn(String from, String to) {
		return CLASSES.that(JavaClass.Predicates.resideInAPackage(from))
			.stream()
			.flatMap((type) -> type.getDirectDependenciesFromSelf().stream())
			.anyMatch((dependency) -> JavaClass.Predicates.resideInAPackage(to).test(dependency.getTargetClass()));
	}

	@Test
	void facilitiesDoNotDependOnMicrometerOrActuator() {
		noClasses().that()
			.resideInAnyPackage(RUNTIME)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.micrometer..", "org.springframework.boot.actuate..",
					"org.springframework.boot.health..")
			.because(
					"the starter must work without Actuator and Micrometer; record through dev.ipcboot.internal.IpcMetrics"
							+ " and report state through dev.ipcboot.internal.IpcResource")
			.check(CLASSES);
	}

	@Test
	void facilitiesDoNotDependOnTheObservabilityImplementations() {
		noClasses().that()
			.resideInAnyPackage(RUNTIME)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.ipcboot.internal.metrics..", "dev.ipcboot.observation..", "dev.ipcboot.health..",
					"dev.ipcboot.actuate..")
			.check(CLASSES);
	}

}
