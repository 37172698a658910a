package dev.ipcboot;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import dev.ipcboot.semaphore.internal.QtKeyFiles;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the layout of STYLE.md true: facilities do not import each other, native code and
 * D-Bus library types stay in their packages, and only auto-configuration reads
 * properties.
 */
class ArchitectureTests {

	private static final String[] FACILITIES = { "socket", "shm", "semaphore", "dbus", "process", "session" };

	private static final String NATIVES = "dev.ipcboot.internal.natives..";

	/** The packages that call the operating system through the natives package. */
	private static final String[] NATIVE_USERS = { "dev.ipcboot.shm..", "dev.ipcboot.semaphore..",
			"dev.ipcboot.process..", "dev.ipcboot.socket..", "dev.ipcboot.dbus.." };

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.ipcboot");

	/**
	 * The rules below pass on an empty import or a dependency ArchUnit cannot see; this
	 * shows that every package they speak of was imported and that the dependencies they
	 * forbid elsewhere are seen where they are allowed.
	 */
	@Test
	void rulesSeeEveryFacilityAndTheDependenciesTheyRestrict() {
		for (String facility : FACILITIES) {
			assertThat(CLASSES.that(resideIn("dev.ipcboot." + facility + ".."))).as(facility).isNotEmpty();
		}
		assertThat(dependsOn(NATIVES, "com.sun.jna..")).isTrue();
		assertThat(dependsOn("dev.ipcboot.dbus..", "org.freedesktop..")).isTrue();
		assertThat(dependsOn("dev.ipcboot.session..", "dev.ipcboot.dbus..")).isTrue();
		assertThat(dependsOn("dev.ipcboot.autoconfigure..", "dev.ipcboot.socket..")).isTrue();
	}

	private static DescribedPredicate<JavaClass> resideIn(String packageIdentifier) {
		return JavaClass.Predicates.resideInAPackage(packageIdentifier);
	}

	private static boolean dependsOn(String from, String to) {
		return CLASSES.that(resideIn(from))
			.stream()
			.flatMap((type) -> type.getDirectDependenciesFromSelf().stream())
			.anyMatch((dependency) -> resideIn(to).test(dependency.getTargetClass()));
	}

	@Test
	void theListenerCoreDependsOnNoFacility() {
		assertThat(dependsOn("dev.ipcboot.socket..", "dev.ipcboot.listener..")).as("facilities use the SPI").isTrue();
		for (String facility : FACILITIES) {
			noClasses().that()
				.resideInAPackage("dev.ipcboot.listener..")
				.should()
				.dependOnClassesThat()
				.resideInAPackage("dev.ipcboot." + facility + "..")
				.because("the listener core knows no transport: each facility declares its headers and"
						+ " channels through the SPI (ADR 0018)")
				.check(CLASSES);
		}
		noClasses().that()
			.resideInAPackage("dev.ipcboot.listener..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(NATIVES, "dev.ipcboot.http..")
			.because("the listener core knows no transport (ADR 0018)")
			.check(CLASSES);
	}

	@Test
	void facilitiesDoNotImportEachOther() {
		for (String facility : FACILITIES) {
			for (String other : FACILITIES) {
				if (facility.equals(other) || allowed(facility, other)) {
					continue;
				}
				noClasses().that()
					.resideInAPackage("dev.ipcboot." + facility + "..")
					.should()
					.dependOnClassesThat()
					.resideInAPackage("dev.ipcboot." + other + "..")
					.because("facility packages meet only through the listener SPI and the shared event base")
					.check(CLASSES);
			}
		}
	}

	private static boolean allowed(String facility, String other) {
		// the session facility reaches logind over the bus through the D-Bus facility's
		// API; shared memory names its key files by Qt's rule, which lives with system
		// semaphores (held to that one class below)
		return (facility.equals("session") && other.equals("dbus"))
				|| (facility.equals("shm") && other.equals("semaphore"));
	}

	@Test
	void sharedMemoryUsesOnlyQtKeyNamingFromTheSemaphorePackage() {
		assertThat(dependsOn("dev.ipcboot.shm..", "dev.ipcboot.semaphore..")).isTrue();
		noClasses().that()
			.resideInAPackage("dev.ipcboot.shm..")
			.should()
			.dependOnClassesThat(resideIn("dev.ipcboot.semaphore..")
				.and(DescribedPredicate.not(JavaClass.Predicates.type(QtKeyFiles.class))))
			.because("a QSharedMemory is locked by a QSystemSemaphore of the same key: Qt's key naming is shared,"
					+ " nothing else (ADR 0015)")
			.check(CLASSES);
	}

	@Test
	void theNativesPackageDependsOnNothingOfOursAboveIt() {
		noClasses().that()
			.resideInAPackage("dev.ipcboot.internal.natives..")
			.should()
			.dependOnClassesThat(resideIn("dev.ipcboot..").and(DescribedPredicate.not(resideIn(NATIVES))))
			.because("native bindings are the bottom layer: error numbers become exceptions there, and nothing of the"
					+ " facilities leaks down (ADR 0015)")
			.check(CLASSES);
	}

	@Test
	void onlyTheFacilitiesThatNeedNativeCallsUseTheNativesPackage() {
		for (String user : NATIVE_USERS) {
			assertThat(dependsOn(user, NATIVES)).as(user).isTrue();
		}
		noClasses().that()
			.resideOutsideOfPackages(NATIVES)
			.and()
			.resideOutsideOfPackages(NATIVE_USERS)
			.should()
			.dependOnClassesThat()
			.resideInAPackage(NATIVES)
			.because("raw descriptors and addresses stay behind the facilities that own them (ADR 0015)")
			.check(CLASSES);
	}

	/**
	 * A facility's {@code internal} package is its machinery (ADR 0019): public only so
	 * that the auto-configuration can create it, so nothing else reaches into it.
	 */
	@Test
	void aFacilitysInternalPackageIsUsedOnlyByTheFacilityAndTheAutoConfiguration() {
		for (String owner : new String[] { "dbus", "process", "session", "http", "semaphore", "shm", "listener",
				"socket" }) {
			String internal = "dev.ipcboot." + owner + ".internal..";
			assertThat(CLASSES.that(resideIn(internal))).as(internal).isNotEmpty();
			assertThat(dependsOn("dev.ipcboot.autoconfigure..", internal)
					|| dependsOn("dev.ipcboot." + owner + "..", "dev.ipcboot." + owner + ".internal.."))
				.as("%s is used", internal)
				.isTrue();
			noClasses().that()
				.resideOutsideOfPackages("dev.ipcboot." + owner + "..", "dev.ipcboot.autoconfigure..")
				.and(DescribedPredicate
					.not(owner.equals("semaphore") ? resideIn("dev.ipcboot.shm..") : DescribedPredicate.alwaysFalse()))
				.should()
				.dependOnClassesThat()
				.resideInAPackage(internal)
				.because("a facility's internal package is its machinery, created by the auto-configuration"
						+ " (shared memory may use Qt's key naming, ADR 0015)")
				.check(CLASSES);
		}
	}

	@Test
	void onlyTheNativesPackageUsesJna() {
		noClasses().that()
			.resideOutsideOfPackage(NATIVES)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.sun.jna..")
			.check(CLASSES);
	}

	@Test
	void onlyTheShmTransportUsesAgronaAndTheSocketCoreDoesNotKnowIt() {
		assertThat(dependsOn("dev.ipcboot.socket.shm..", "org.agrona..")).isTrue();
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.socket.shm..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.agrona..")
			.because("the rings of transport: shm are its own business (ADR 0012)")
			.check(CLASSES);
		noClasses().that()
			.resideInAPackage("dev.ipcboot.socket")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.ipcboot.socket.shm..")
			.because("the shm transport builds on the socket layer, not the other way round")
			.check(CLASSES);
	}

	@Test
	void onlyTheDBusPackageUsesTheDBusLibrary() {
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.dbus..")
			.and()
			.resideOutsideOfPackage("dev.ipcboot.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.freedesktop..")
			.check(CLASSES);
	}

	@Test
	void nothingOutsideAutoConfigurationDependsOnIt() {
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.ipcboot.autoconfigure..")
			.because("runtime classes see settings records, never *Properties")
			.check(CLASSES);
	}

	@Test
	void runtimeClassesDoNotReadConfigurationProperties() {
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.areAnnotatedWith("org.springframework.boot.context.properties.ConfigurationProperties")
			.check(CLASSES);
	}

}
