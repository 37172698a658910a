package dev.ipcboot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting the applications under test and cleaning up after them. */
final class Apps {

	private Apps() {
	}

	static ConfigurableApplicationContext run(Class<?> application, String... args) {
		return run(application, (context) -> {
		}, args);
	}

	static ConfigurableApplicationContext run(Class<?> application,
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer, String... args) {
		SpringApplication app = new SpringApplication(application);
		app.addInitializers(initializer);
		app.setWebApplicationType(WebApplicationType.NONE);
		app.setLogStartupInfo(false);
		String[] all = Stream.concat(Stream.of(args), Stream.of("--logging.level.root=warn")).toArray(String[]::new);
		return app.run(all);
	}

	static int port(ConfigurableApplicationContext context, String server) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.ipc.server." + server + ".port"));
	}

	static void delete(Path dir) throws IOException {
		if (dir == null || !Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
				Files.deleteIfExists(file);
			}
		}
	}

}
