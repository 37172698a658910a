package dev.ipcboot.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IDE completion is a feature: every {@code ipc.*} key in the generated configuration
 * metadata has a description, and the facility switches are there.
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
	void everyFacilityCanBeSwitchedOff() throws Exception {
		List<String> names = new ArrayList<>();
		metadata().get("properties").forEach((property) -> names.add(property.get("name").asString()));
		assertThat(names).contains("ipc.socket.enabled", "ipc.shm.enabled", "ipc.semaphore.enabled",
				"ipc.process.enabled");
	}

}
