package dev.ipcboot.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native launcher on a C library without
 * {@code posix_spawn_file_actions_addclosefrom_np} (glibc before 2.34) or
 * {@code posix_spawn_file_actions_addchdir_np} (glibc before 2.29): each function is
 * forced missing in turn, and the child still inherits no descriptor of the application
 * and starts in its working directory.
 */
@Tag(ProcessTestSupport.NATIVE_LAUNCHER)
class SpawnFallbackTests {

	private static final String FORCE_MISSING = SpawnPolicy.FORCE_MISSING;

	private static final String CLOSE_FROM = "posix_spawn_file_actions_addclosefrom_np";

	private static final String CHANGE_DIRECTORY = "posix_spawn_file_actions_addchdir_np";

	@TempDir
	Path directory;

	private final String before = System.getProperty(FORCE_MISSING, "");

	@AfterEach
	void restore() {
		System.setProperty(FORCE_MISSING, this.before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", CLOSE_FROM, CHANGE_DIRECTORY, CLOSE_FROM + "," + CHANGE_DIRECTORY })
	void childInheritsNoDescriptorOfTheApplicationWhicheverFunctionIsMissing(String missing) throws Exception {
		System.setProperty(FORCE_MISSING, missing);
		Path file = Files.writeString(this.directory.resolve("held-open.txt"), "secret");
		// FileInputStream opens without O_CLOEXEC: only the spawn's closing keeps it from
		// the child
		try (FileInputStream held = new FileInputStream(file.toFile())) {
			Set<Integer> opened = descriptorsOpenOn(file);
			assertThat(opened).as("descriptors of the application open on %s", file).isNotEmpty();
			ProcessTestSupport.runner().run((context) -> {
				ProcessResult result = context.getBean(ProcessManager.class)
					.run(ProcessSpec.of("fds", "sh", "-c", "ls /proc/$$/fd").withWorkingDirectory(this.directory),
							Duration.ofSeconds(10));
				List<Integer> inherited = result.stdoutText().lines().map(Integer::parseInt).toList();
				assertThat(inherited).doesNotContainAnyElementsOf(opened);
				assertThat(inherited).allMatch((fd) -> fd <= 2 || fd >= 10,
						"only stdin, stdout, stderr and the shell's own (10+)");
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", CHANGE_DIRECTORY, CLOSE_FROM + "," + CHANGE_DIRECTORY })
	void childStartsInItsWorkingDirectoryAndTheApplicationStaysInItsOwn(String missing) throws Exception {
		System.setProperty(FORCE_MISSING, missing);
		Path cwd = Path.of("/proc/self/cwd").toRealPath();
		ProcessTestSupport.runner().run((context) -> {
			ProcessResult result = context.getBean(ProcessManager.class)
				.run(ProcessSpec.of("pwd", "pwd").withWorkingDirectory(this.directory), Duration.ofSeconds(10));
			assertThat(result.stdoutText().trim()).isEqualTo(this.directory.toRealPath().toString());
		});
		assertThat(Path.of("/proc/self/cwd").toRealPath()).isEqualTo(cwd);
	}

	/**
	 * The descriptors of this process open on the given file, found by their link in
	 * {@code /proc/self/fd} rather than by a before/after difference, which other threads
	 * opening and closing descriptors at the same time make unreliable.
	 */
	private static Set<Integer> descriptorsOpenOn(Path file) throws IOException {
		Path target = file.toRealPath();
		Set<Integer> found = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			for (Path fd : fds.toList()) {
				try {
					if (Files.readSymbolicLink(fd).equals(target)) {
						found.add(Integer.parseInt(fd.getFileName().toString()));
					}
				}
				catch (IOException closedMeanwhile) {
					// a descriptor another thread closed after the listing
				}
			}
		}
		return found;
	}

}
