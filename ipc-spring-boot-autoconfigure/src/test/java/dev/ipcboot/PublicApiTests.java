package dev.ipcboot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the public API of the starter against the committed list
 * {@code api/public-api.txt} of this module (ADR 0019): every type a user can name from
 * outside its package (public, or a public or protected member type of such a type) in
 * {@code dev.ipcboot} and its subpackages, except packages named {@code internal}, which
 * carry no compatibility promise. A change to the public API is a change to that file,
 * visible in the diff.
 * <p>
 * After a deliberate change, regenerate the list with one command from the repository
 * root (it also regenerates the list of the test-support module) and commit it: <pre>
 * mvn -B -o -q -pl ipc-spring-boot-autoconfigure,ipc-spring-boot-starter,ipc-spring-boot-test test -Dtest=PublicApiTests -Dipcboot.api.update=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PublicApiTests {

	static final Path API_FILE = Path.of("api", "public-api.txt");

	static final String UPDATE_PROPERTY = "ipcboot.api.update";

	private static final String REGENERATE = "mvn -B -o -q -pl ipc-spring-boot-autoconfigure,ipc-spring-boot-starter,"
			+ "ipc-spring-boot-test test -Dtest=PublicApiTests -D" + UPDATE_PROPERTY + "=true"
			+ " -Dsurefire.failIfNoSpecifiedTests=false";

	@Test
	void publicTypesAreExactlyTheCommittedList() throws IOException {
		Set<String> actual = publicTypes();
		assertThat(actual).as("public types found").hasSizeGreaterThan(20);
		if (Boolean.getBoolean(UPDATE_PROPERTY)) {
			write(actual);
		}
		assertThat(Files.exists(API_FILE)).as("%s missing; create it with: %s", API_FILE.toAbsolutePath(), REGENERATE)
			.isTrue();
		Set<String> committed = read();
		Set<String> added = new TreeSet<>(actual);
		added.removeAll(committed);
		Set<String> removed = new TreeSet<>(committed);
		removed.removeAll(actual);
		assertThat(added.isEmpty() && removed.isEmpty())
			.as("The public API differs from %s.%n  added (now public, not listed): %s%n  removed (listed, no longer"
					+ " public): %s%nMake machinery package-private or move it to a package named 'internal';"
					+ " after a deliberate API change regenerate the list with:%n  %s", API_FILE, added, removed,
					REGENERATE)
			.isTrue();
	}

	/** The list also holds the names the contract fixes (SPEC §9 and §11). */
	@Test
	void theContractTypesArePublic() {
		assertThat(publicTypes()).contains("dev.ipcboot.listener.IpcListener", "dev.ipcboot.listener.IpcHeaders",
				"dev.ipcboot.listener.IpcErrorHandler", "dev.ipcboot.listener.IpcListenerEndpointRegistry",
				"dev.ipcboot.socket.IpcClient", "dev.ipcboot.socket.IpcConnection", "dev.ipcboot.socket.IpcServer",
				"dev.ipcboot.shm.SharedMemory", "dev.ipcboot.semaphore.SystemSemaphore", "dev.ipcboot.dbus.DBusExport",
				"dev.ipcboot.dbus.DBusTemplate", "dev.ipcboot.process.ProcessManager",
				"dev.ipcboot.process.ManagedProcess", "dev.ipcboot.session.SessionShutdownEvent");
	}

	static Set<String> publicTypes() {
		Set<String> names = new TreeSet<>();
		for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.ipcboot")) {
			if (isApi(type)) {
				names.add(type.getName());
			}
		}
		return names;
	}

	private static boolean isApi(JavaClass type) {
		if (type.getPackageName().matches("(.*\\.)?internal(\\..*)?") || type.isAnonymousClass()
				|| type.isLocalClass()) {
			return false;
		}
		Optional<JavaClass> enclosing = type.getEnclosingClass();
		if (enclosing.isEmpty()) {
			return type.getModifiers().contains(JavaModifier.PUBLIC);
		}
		// a protected member type is reachable through a subclass of its (public)
		// enclosing type
		return (type.getModifiers().contains(JavaModifier.PUBLIC)
				|| type.getModifiers().contains(JavaModifier.PROTECTED)) && isApi(enclosing.get());
	}

	private static Set<String> read() throws IOException {
		Set<String> names = new TreeSet<>();
		for (String line : Files.readAllLines(API_FILE, StandardCharsets.UTF_8)) {
			String name = line.strip();
			if (!name.isEmpty() && !name.startsWith("#")) {
				names.add(name);
			}
		}
		return names;
	}

	private static void write(Set<String> names) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add("# The public API of ipc-spring-boot-autoconfigure: " + names.size()
				+ " types, one binary name a line (ADR 0019).");
		lines.add("# Checked by dev.ipcboot.PublicApiTests; regenerate after a deliberate change with:");
		lines.add("#   " + REGENERATE);
		lines.addAll(names);
		Files.createDirectories(API_FILE.getParent());
		Files.write(API_FILE, lines, StandardCharsets.UTF_8);
	}

}
