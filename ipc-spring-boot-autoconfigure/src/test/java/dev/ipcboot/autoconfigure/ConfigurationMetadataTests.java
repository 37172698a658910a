package dev.ipcboot.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import dev.ipcboot.process.OutputFraming;
import dev.ipcboot.process.OutputMode;
import dev.ipcboot.process.RestartPolicy;
import dev.ipcboot.semaphore.SemaphoreSettings;
import dev.ipcboot.shm.SharedMemorySettings;
import dev.ipcboot.socket.Framing;
import dev.ipcboot.socket.SocketPermissions;
import dev.ipcboot.socket.SocketServerSettings;
import dev.ipcboot.socket.SocketTransport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IDE completion is a feature: every {@code ipc.*} key in the generated configuration
 * metadata has a description, the facility switches are there, and every enumeration in
 * the named maps offers exactly its values as hints.
 */
class ConfigurationMetadataTests {

	private static JsonNode metadata() throws Exception {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

	@Test
	void everyIpcPropertyHasADescription() throws Exception {
		List<String> undocumented = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata().get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith("ipc.")) {
				continue;
			}
			names.add(name);
			JsonNode description = property.get("description");
			if (description == null || description.asString().isBlank()) {
				undocumented.add(name);
			}
		}
		assertThat(names).isNotEmpty();
		assertThat(undocumented).as("ipc.* properties without a description (add field Javadoc)").isEmpty();
	}

	@Test
	void everyEnumerationHasValueHintsThatMatchItsConstants() throws Exception {
		Map<String, Class<? extends Enum<?>>> enumerations = new LinkedHashMap<>();
		enumerations.put("ipc.servers.values.framing", Framing.class);
		enumerations.put("ipc.servers.values.transport", SocketServerProperties.Transport.class);
		enumerations.put("ipc.servers.values.permissions", SocketPermissions.class);
		enumerations.put("ipc.servers.values.dispatch", SocketServerSettings.Dispatch.class);
		enumerations.put("ipc.servers.values.activation", dev.ipcboot.socket.SocketActivation.Mode.class);
		enumerations.put("ipc.clients.values.framing", Framing.class);
		enumerations.put("ipc.clients.values.transport", SocketClientProperties.Transport.class);
		enumerations.put("ipc.shared-memory.values.mode", SharedMemorySettings.Mode.class);
		enumerations.put("ipc.shared-memory.values.access", SharedMemorySettings.Access.class);
		enumerations.put("ipc.shared-memory.values.backend", SharedMemorySettings.Backend.class);
		enumerations.put("ipc.semaphores.values.mode", SemaphoreSettings.Mode.class);
		enumerations.put("ipc.semaphores.values.backend", SemaphoreSettings.Backend.class);
		enumerations.put("ipc.shared-memory.values.qt-key-type", QtKeyType.class);
		enumerations.put("ipc.semaphores.values.qt-key-type", QtKeyType.class);
		enumerations.put("ipc.processes.values.restart", RestartPolicy.class);
		enumerations.put("ipc.processes.values.output", OutputMode.class);
		enumerations.put("ipc.processes.values.framing", OutputFraming.class);
		Map<String, List<String>> hints = hints();
		enumerations.forEach((name, type) -> {
			List<String> constants = Arrays.stream(type.getEnumConstants())
				.map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.toList();
			assertThat(hints.get(name)).as("value hints of " + name).containsExactlyInAnyOrderElementsOf(constants);
		});
		assertThat(hints.get("ipc.dbus.bus")).containsExactly("session", "system", "private");
		assertThat(hints.get("ipc.processes.values.stdin")).containsExactly("pipe", "null", "file:");
		assertThat(hints.get("ipc.processes.values.stdout")).containsExactly("pipe", "null", "file:", "append:");
		assertThat(hints.get("ipc.processes.values.stderr")).containsExactly("pipe", "null", "file:", "append:");
	}

	private static Map<String, List<String>> hints() throws Exception {
		Map<String, List<String>> hints = new LinkedHashMap<>();
		for (JsonNode hint : metadata().get("hints")) {
			List<String> values = new ArrayList<>();
			for (JsonNode value : hint.get("values")) {
				assertThat(value.at("/description").asString()).as(hint.get("name") + " " + value).isNotBlank();
				values.add(value.get("value").asString());
			}
			hints.put(hint.get("name").asString(), values);
		}
		return hints;
	}

	@Test
	void everyFacilityCanBeSwitchedOffByTheNameOfItsMapOrSection() throws Exception {
		assertThat(properties()).containsKeys("ipc.socket.enabled", "ipc.shared-memory.enabled",
				"ipc.semaphores.enabled", "ipc.processes.enabled", "ipc.dbus.enabled", "ipc.session.enabled");
	}

	@Test
	void oldSwitchNamesAreDeprecatedWithTheNewNameAsReplacement() throws Exception {
		Map<String, JsonNode> properties = properties();
		Map<String, String> replaced = Map.of("ipc.shm.enabled", "ipc.shared-memory.enabled", "ipc.semaphore.enabled",
				"ipc.semaphores.enabled", "ipc.process.enabled", "ipc.processes.enabled");
		replaced.forEach((old, replacement) -> {
			assertThat(properties).containsKey(old);
			JsonNode deprecation = properties.get(old).get("deprecation");
			assertThat(deprecation).as(old + " deprecation").isNotNull();
			assertThat(deprecation.at("/replacement").asString()).as(old).isEqualTo(replacement);
			assertThat(deprecation.at("/level").asString()).as(old).isEqualTo("warning");
			assertThat(properties.get(replacement).get("deprecation")).as(replacement).isNull();
		});
	}

	private static Map<String, JsonNode> properties() throws Exception {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata().get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		return properties;
	}

}
