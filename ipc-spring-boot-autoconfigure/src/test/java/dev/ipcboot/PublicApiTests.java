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
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
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

	/**
	 * The contract fixes signatures too (SPEC §9 and §11: "do not rename or change these
	 * signatures"): each method it names exists with its parameter and return types.
	 */
	@Test
	void theContractSignaturesAreUnchanged() {
		List<String> missing = new ArrayList<>();
		method(missing, dev.ipcboot.listener.IpcListener.class, "value", String[].class);
		method(missing, dev.ipcboot.listener.IpcListener.class, "id", String.class);
		method(missing, dev.ipcboot.listener.IpcListener.class, "autoStartup", boolean.class);
		method(missing, dev.ipcboot.listener.IpcListener.class, "errorHandler", String.class);
		method(missing, dev.ipcboot.listener.IpcErrorHandler.class, "handle", Object.class,
				org.springframework.messaging.Message.class, Throwable.class);
		for (String name : List.of("start", "stop", "pause", "resume")) {
			method(missing, dev.ipcboot.listener.IpcListenerEndpointRegistry.class, name, void.class, String.class);
		}
		method(missing, dev.ipcboot.listener.IpcListenerEndpointRegistry.class, "isRunning", boolean.class,
				String.class);
		method(missing, dev.ipcboot.listener.IpcListenerEndpointRegistry.class, "ids", java.util.Set.class);
		method(missing, dev.ipcboot.socket.IpcClient.class, "send", void.class, Object.class);
		method(missing, dev.ipcboot.socket.IpcClient.class, "request", byte[].class, Object.class);
		method(missing, dev.ipcboot.socket.IpcClient.class, "request", Object.class, Object.class, Class.class);
		method(missing, dev.ipcboot.socket.IpcClient.class, "requestAsync",
				java.util.concurrent.CompletableFuture.class, Object.class);
		method(missing, dev.ipcboot.socket.IpcConnection.class, "id", String.class);
		method(missing, dev.ipcboot.socket.IpcConnection.class, "channel", String.class);
		method(missing, dev.ipcboot.socket.IpcConnection.class, "isOpen", boolean.class);
		method(missing, dev.ipcboot.socket.IpcConnection.class, "send", void.class, Object.class);
		method(missing, dev.ipcboot.socket.IpcConnection.class, "close", void.class);
		method(missing, dev.ipcboot.socket.IpcServer.class, "name", String.class);
		method(missing, dev.ipcboot.socket.IpcServer.class, "connections", java.util.Collection.class);
		method(missing, dev.ipcboot.socket.IpcServer.class, "broadcast", int.class, Object.class);
		Class<?> memory = dev.ipcboot.shm.SharedMemory.class;
		method(missing, memory, "key", String.class);
		method(missing, memory, "nativeKey", String.class);
		method(missing, memory, "size", long.class);
		method(missing, memory, "isAttached", boolean.class);
		method(missing, memory, "lock", void.class);
		method(missing, memory, "unlock", void.class);
		method(missing, memory, "withLock", Object.class, java.util.function.Supplier.class);
		method(missing, memory, "read", byte[].class, long.class, int.class);
		method(missing, memory, "write", void.class, long.class, byte[].class);
		method(missing, memory, "buffer", java.nio.ByteBuffer.class);
		Class<?> semaphore = dev.ipcboot.semaphore.SystemSemaphore.class;
		method(missing, semaphore, "key", String.class);
		method(missing, semaphore, "acquire", void.class);
		method(missing, semaphore, "tryAcquire", boolean.class, java.time.Duration.class);
		method(missing, semaphore, "release", void.class);
		method(missing, semaphore, "release", void.class, int.class);
		method(missing, dev.ipcboot.dbus.DBusExport.class, "path", String.class);
		method(missing, dev.ipcboot.dbus.DBusTemplate.class, "remote",
				org.freedesktop.dbus.interfaces.DBusInterface.class, String.class, String.class, Class.class);
		method(missing, dev.ipcboot.dbus.DBusTemplate.class, "emit", void.class,
				org.freedesktop.dbus.messages.DBusSignal.class);
		method(missing, dev.ipcboot.process.ProcessManager.class, "start", dev.ipcboot.process.ManagedProcess.class,
				String.class);
		assertThat(missing).as("SPEC §9/§11 signatures that changed or went missing").isEmpty();
	}

	/**
	 * Public signatures that still name an {@code internal} type: constructors only the
	 * auto-configuration calls (ADR 0019, "the observability SPI, in detail"). Anything
	 * new here is a leak of machinery into the API.
	 */
	private static final Set<String> INTERNAL_IN_PUBLIC_SIGNATURES = Set.of(
			"dev.ipcboot.actuate.IpcEndpoint.<init>(dev.ipcboot.listener.IpcListenerEndpointRegistry,"
					+ " java.util.function.Supplier)",
			"dev.ipcboot.health.IpcHealthContributor.<init>(java.util.function.Supplier)",
			// ObjectProvider<IpcMetrics>; the constructor without it stays public
			"dev.ipcboot.listener.IpcListenerEndpointRegistry.<init>(org.springframework.beans.factory.ObjectProvider,"
					+ " org.springframework.messaging.converter.MessageConverter,"
					+ " org.springframework.beans.factory.ObjectProvider,"
					+ " org.springframework.context.ApplicationEventPublisher,"
					+ " org.springframework.beans.factory.ObjectProvider)");

	/**
	 * Members an application can call or override, and the types a public type extends,
	 * name no type of an {@code internal} package, which may change in any release.
	 */
	@Test
	void noPublicSignatureNamesAnInternalType() {
		Set<String> leaks = new TreeSet<>();
		for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.ipcboot")) {
			if (!isApi(type)) {
				continue;
			}
			type.getRawSuperclass()
				.filter(PublicApiTests::isInternal)
				.ifPresent((s) -> leaks.add(type.getName() + " extends " + s.getName()));
			type.getRawInterfaces()
				.stream()
				.filter(PublicApiTests::isInternal)
				.forEach((i) -> leaks.add(type.getName() + " implements " + i.getName()));
			for (JavaMember member : type.getMembers()) {
				if (!member.getModifiers().contains(JavaModifier.PUBLIC)
						&& !member.getModifiers().contains(JavaModifier.PROTECTED)) {
					continue;
				}
				List<JavaType> types = new ArrayList<>();
				if (member instanceof JavaCodeUnit code) {
					types.addAll(code.getParameterTypes());
					types.add(code.getReturnType());
				}
				else if (member instanceof JavaField field) {
					types.add(field.getType());
				}
				if (types.stream()
					.flatMap((t) -> t.getAllInvolvedRawTypes().stream())
					.anyMatch(PublicApiTests::isInternal)) {
					leaks.add(member.getFullName());
				}
			}
		}
		leaks.removeAll(INTERNAL_IN_PUBLIC_SIGNATURES);
		assertThat(leaks)
			.as("public signatures naming an internal type: make the member package-private and reach it"
					+ " through an accessor of the internal package (ADR 0019, decision 5)")
			.isEmpty();
	}

	private static boolean isInternal(JavaClass type) {
		return type.getPackageName().matches("dev\\.ipcboot(\\..*)?\\.internal(\\..*)?");
	}

	private static void method(List<String> missing, Class<?> type, String name, Class<?> returns,
			Class<?>... parameters) {
		String signature = type.getSimpleName() + "." + name
				+ java.util.Arrays.stream(parameters)
					.map(Class::getSimpleName)
					.collect(java.util.stream.Collectors.joining(", ", "(", ")"))
				+ ": " + returns.getSimpleName();
		try {
			java.lang.reflect.Method method = type.getMethod(name, parameters);
			if (!method.getReturnType().equals(returns)
					|| !java.lang.reflect.Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
				missing.add(signature + " (found returning " + method.getReturnType().getSimpleName() + ")");
			}
		}
		catch (NoSuchMethodException ex) {
			missing.add(signature);
		}
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
