package dev.ipcboot.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example in {@code docs/testing.md} is the compiled and tested
 * {@code com.example.desk.OrderDeskTests}, character for character.
 */
class TestingDocTests {

	@Test
	void docsTestingShowsTheExampleAsItCompiles() throws Exception {
		String example = Files.readString(Path.of("src/test/java/com/example/desk/OrderDeskTests.java"),
				StandardCharsets.UTF_8);
		String page = Files.readString(Path.of("../docs/testing.md"), StandardCharsets.UTF_8);
		assertThat(page).contains("```java\n" + example + "```");
	}

}
