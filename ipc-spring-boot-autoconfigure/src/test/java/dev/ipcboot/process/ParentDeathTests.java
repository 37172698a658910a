package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens to a child when the application is killed with SIGKILL, so that no Java
 * code runs: a second JVM starts the child and the test kills that JVM.
 */
class ParentDeathTests {

	@Test
	void childIsKilledByTheKernelWhenTheApplicationIsSigkilled() throws Exception {
		Tools.require("setpriv", "util-linux");
		long child = startChildAndKillApplication(true);
		await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessTestSupport.isLive(child));
	}

	@Test
	void withoutDieWithParentTheChildOutlivesASigkilledApplication() throws Exception {
		long child = startChildAndKillApplication(false);
		try {
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> ProcessTestSupport.isLive(child));
		}
		finally {
			ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	private static long startChildAndKillApplication(boolean dieWithParent) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process application = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ParentDeathMain.class.getName(), Boolean.toString(dieWithParent))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(application.getInputStream(), StandardCharsets.UTF_8))) {
			String line = reader.readLine();
			assertThat(line).as("pid printed by the application").isNotNull().matches("[0-9]+");
			long child = Long.parseLong(line);
			assertThat(ProcessTestSupport.isLive(child)).isTrue();
			application.destroyForcibly();
			application.waitFor();
			return child;
		}
		finally {
			application.destroyForcibly();
		}
	}

}
