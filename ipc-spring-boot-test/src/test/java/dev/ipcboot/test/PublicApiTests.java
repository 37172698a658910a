package dev.ipcboot.test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the public API of the test support against the committed list
 * {@code api/public-api.txt} of this module (ADR 0019), as the autoconfigure module's
 * {@code dev.ipcboot.PublicApiTests} does for the starter: every type a user can name
 * from outside its package, except packages named {@code internal}.
 * <p>
 * After a deliberate change, regenerate the list from the repository root and commit it:
 * <pre>
 * mvn -B -o -q -pl ipc-spring-boot-autoconfigure,ipc-spring-boot-starter,ipc-spring-boot-test test -Dtest=PublicApiTests -Dipcboot.api.update=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class PublicApiTests {

	private static final Path API_FILE = Path.of("api", "public-api.txt");

	private static final String REGENERATE = "mvn -B -o -q -pl ipc-spring-boot-autoconfigure,ipc-spring-boot-starter,"
			+ "ipc-spring-boot-test test -Dtest=PublicApiTests -Dipcboot.api.update=true"
			+ " -Dsurefire.failIfNoSpecifiedTests=false";

	@Test
	void publicTypesAreExactlyTheCommittedList() throws Exception {
		Set<String> actual = publicTypes();
		assertThat(actual).as("public types found").contains(IpcTest.class.getName());
		if (Boolean.getBoolean("ipcboot.api.update")) {
			List<String> lines = new ArrayList<>();
			lines.add("# The public API of ipc-spring-boot-test: " + actual.size()
					+ " types, one binary name a line (ADR 0019).");
			lines.add("# Checked by dev.ipcboot.test.PublicApiTests; regenerate after a deliberate change with:");
			lines.add("#   " + REGENERATE);
			lines.addAll(actual);
			Files.createDirectories(API_FILE.getParent());
			Files.write(API_FILE, lines, StandardCharsets.UTF_8);
		}
		assertThat(Files.exists(API_FILE)).as("%s missing; create it with: %s", API_FILE.toAbsolutePath(), REGENERATE)
			.isTrue();
		Set<String> committed = new TreeSet<>();
		for (String line : Files.readAllLines(API_FILE, StandardCharsets.UTF_8)) {
			if (!line.isBlank() && !line.startsWith("#")) {
				committed.add(line.strip());
			}
		}
		Set<String> added = new TreeSet<>(actual);
		added.removeAll(committed);
		Set<String> removed = new TreeSet<>(committed);
		removed.removeAll(actual);
		assertThat(added.isEmpty() && removed.isEmpty())
			.as("The public API differs from %s.%n  added (now public, not listed): %s%n  removed (listed, no longer"
					+ " public): %s%nAfter a deliberate API change regenerate the list with:%n  %s", API_FILE, added,
					removed, REGENERATE)
			.isTrue();
	}

	private static Set<String> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
		Path classes = Path.of(IpcTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<String> names = new ArrayList<>();
		try (Stream<Path> files = Files.walk(classes)) {
			files.map((file) -> classes.relativize(file).toString())
				.filter((file) -> file.endsWith(".class") && !file.endsWith("package-info.class"))
				.forEach((file) -> names.add(file.substring(0, file.length() - 6).replace('/', '.')));
		}
		Set<String> api = new TreeSet<>();
		for (String name : names) {
			Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
			if (isApi(type)) {
				api.add(name);
			}
		}
		return api;
	}

	private static boolean isApi(Class<?> type) {
		if (type.getPackageName().matches("(.*\\.)?internal(\\..*)?") || type.isAnonymousClass() || type.isLocalClass()
				|| type.isSynthetic()) {
			return false;
		}
		int modifiers = type.getModifiers();
		Class<?> enclosing = type.getDeclaringClass();
		if (enclosing == null) {
			return Modifier.isPublic(modifiers);
		}
		return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && isApi(enclosing);
	}

}
