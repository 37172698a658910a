package dev.ipcboot;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the layout of STYLE.md true: facilities do not import each other, native code and
 * D-Bus library types stay in their packages, and only auto-configuration reads
 * properties.
 */
class ArchitectureTests {

	private static final String[] FACILITIES = { "socket", "shm", "semaphore", "dbus", "process", "session" };

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.ipcboot");

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
					.allowEmptyShould(true)
					.check(CLASSES);
			}
		}
	}

	private static boolean allowed(String facility, String other) {
		// the session facility reaches logind over the bus through the D-Bus facility's
		// API
		return facility.equals("session") && other.equals("dbus");
	}

	@Test
	void onlyTheNativesPackageUsesJna() {
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.natives..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.sun.jna..")
			.allowEmptyShould(true)
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
			.allowEmptyShould(true)
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
			.allowEmptyShould(true)
			.check(CLASSES);
	}

	@Test
	void runtimeClassesDoNotReadConfigurationProperties() {
		noClasses().that()
			.resideOutsideOfPackage("dev.ipcboot.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.areAnnotatedWith("org.springframework.boot.context.properties.ConfigurationProperties")
			.allowEmptyShould(true)
			.check(CLASSES);
	}

}
