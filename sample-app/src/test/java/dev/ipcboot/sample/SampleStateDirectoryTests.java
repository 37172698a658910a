package dev.ipcboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The desk's private directory against another local user ({@code nobody}, through
 * {@code setpriv}) who can write to the place it is configured in (a sticky,
 * world-writable directory such as {@code /tmp}): a symbolic link or a directory planted
 * there is refused and nothing is written through it; a symbolic link at the state file's
 * place is replaced, never followed. Needs root, to play the other user.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleStateDirectoryTests {

	@TempDir
	Path dir;

	/** Like /tmp: world-writable and sticky, where nobody can plant names. */
	private Path shared;

	/** A root-owned owner-only file an attacker would like the desk to overwrite. */
	private Path victim;

	@BeforeEach
	void sharedDirectoryAndVictim() throws Exception {
		this.shared = Files.createTempDirectory(Path.of("/tmp"), "sample-shared-");
		Files.setPosixFilePermissions(this.shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		SampleSupport.sh("chmod +t " + this.shared);
		this.victim = Files.createDirectory(this.dir.resolve("victim"));
		Files.writeString(this.victim.resolve("state.properties"), "root's secret\n");
		Files.setPosixFilePermissions(this.victim.resolve("state.properties"),
				PosixFilePermissions.fromString("rw-------"));
	}

	@AfterEach
	void removeSharedDirectory() throws Exception {
		SampleSupport.sh("rm -rf " + this.shared);
	}

	@Test
	void newDirectoryIsOwnerOnlyAndTheStateFileTooAfterTheDeskStops() throws Exception {
		Path desk = this.dir.resolve("desk");
		run(desk).close();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(desk))).isEqualTo("rwx------");
		Path state = desk.resolve("state.properties");
		assertThat(Files.readString(state)).contains("starts=1").contains("reason=shutdown\\: CONTEXT_CLOSING");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-------");
		run(desk).close();
		assertThat(Files.readString(state)).contains("starts=2");
		try (var files = Files.list(desk)) {
			assertThat(files.map((file) -> file.getFileName().toString())).as("no partial file left")
				.allMatch((name) -> !name.endsWith(".partial"));
		}
	}

	@Test
	void symlinkPlantedByAnotherUserAsTheDirectoryStopsStartUpAndNothingIsWrittenThroughIt() throws Exception {
		SampleSupport.requireRoot();
		Path desk = this.shared.resolve("order-desk");
		SampleSupport.asNobody("ln", "-s", this.victim.toString(), desk.toString());
		assertThatException().isThrownBy(() -> run(desk))
			.havingRootCause()
			.withMessageContaining("order-desk.dir " + desk)
			.withMessageContaining("is a symbolic link");
		assertThat(Files.readString(this.victim.resolve("state.properties"))).isEqualTo("root's secret\n");
		try (var files = Files.list(this.victim)) {
			assertThat(files).as("nothing written into the link's target").hasSize(1);
		}
	}

	@Test
	void directoryPlantedByAnotherUserStopsStartUpNamingItsOwner() throws Exception {
		SampleSupport.requireRoot();
		Path desk = this.shared.resolve("order-desk");
		SampleSupport.asNobody("mkdir", "-m", "700", desk.toString());
		assertThatException().isThrownBy(() -> run(desk))
			.havingRootCause()
			.withMessageContaining("order-desk.dir " + desk + " belongs to uid 65534");
		try (var files = Files.list(desk)) {
			assertThat(files).as("nothing written into the other user's directory").isEmpty();
		}
	}

	@Test
	void parentPlantedByAnotherUserAsASymlinkOrDirectoryIsRefused() throws Exception {
		SampleSupport.requireRoot();
		Path link = this.shared.resolve("link");
		SampleSupport.asNobody("ln", "-s", this.victim.toString(), link.toString());
		assertThatIllegalStateException().isThrownBy(() -> new StateDirectory(link.resolve("order-desk")))
			.withMessageContaining("is reached through " + link + ", a symbolic link of uid 65534");
		Path theirs = this.shared.resolve("theirs");
		SampleSupport.asNobody("mkdir", "-m", "755", theirs.toString());
		assertThatIllegalStateException().isThrownBy(() -> new StateDirectory(theirs.resolve("order-desk")))
			.withMessageContaining("is below " + theirs + " (uid 65534");
		try (var files = Files.list(this.victim)) {
			assertThat(files).as("nothing created through the link").hasSize(1);
		}
	}

	@Test
	void ownDirectoryOpenToOthersIsRefusedWithTheFix() throws Exception {
		Path desk = Files.createDirectory(this.dir.resolve("desk"));
		Files.setPosixFilePermissions(desk, PosixFilePermissions.fromString("rwxr-xr-x"));
		assertThatIllegalStateException().isThrownBy(() -> new StateDirectory(desk))
			.withMessageContaining("has mode rwxr-xr-x")
			.withMessageContaining("chmod 700 " + desk);
	}

	@Test
	void unsafeDirectoryIsReportedAtStartUpNamingThePropertyAndTheFix(CapturedOutput output) throws Exception {
		Path desk = Files.createDirectory(this.dir.resolve("desk"));
		Files.setPosixFilePermissions(desk, PosixFilePermissions.fromString("rwxrwxrwx"));
		Throwable failure = catchThrowable(() -> run(desk));
		FailureAnalysis analysis = new StateDirectoryFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("(property order-desk.dir)").contains("has mode rwxrwxrwx");
		assertThat(analysis.getAction()).contains("chmod 700 " + desk);
		assertThat(output.getOut()).as("the report Boot prints instead of a stack trace")
			.contains("APPLICATION FAILED TO START")
			.contains("(property order-desk.dir)");
	}

	@Test
	void symlinkAtTheStateFileIsReplacedNotWrittenThrough() throws Exception {
		SampleSupport.requireRoot();
		StateDirectory directory = new StateDirectory(this.dir.resolve("desk"));
		Path state = directory.path().resolve("state.properties");
		Files.createSymbolicLink(state, this.victim.resolve("state.properties"));
		SampleSupport.sh("chown -h 65534:65534 " + state);
		assertThatIOException().isThrownBy(() -> directory.read("state.properties"))
			.withMessageContaining("is a symbolic link");
		directory.write("state.properties", "starts=1\n".getBytes(StandardCharsets.UTF_8), "rw-------");
		assertThat(Files.isSymbolicLink(state)).isFalse();
		assertThat(Files.isRegularFile(state, LinkOption.NOFOLLOW_LINKS)).isTrue();
		assertThat(Files.readString(state)).isEqualTo("starts=1\n");
		assertThat(Files.readString(this.victim.resolve("state.properties"))).isEqualTo("root's secret\n");
	}

	@Test
	void deskStartsOverASymlinkedStateFileAndReplacesItOnShutdown() throws Exception {
		Path desk = Files.createDirectory(this.dir.resolve("desk"));
		Files.setPosixFilePermissions(desk, PosixFilePermissions.fromString("rwx------"));
		Path state = desk.resolve("state.properties");
		Files.createSymbolicLink(state, this.victim.resolve("state.properties"));
		run(desk).close();
		assertThat(Files.isSymbolicLink(state)).isFalse();
		assertThat(Files.readString(state)).contains("starts=1");
		assertThat(Files.readString(this.victim.resolve("state.properties"))).isEqualTo("root's secret\n");
	}

	private ConfigurableApplicationContext run(Path desk) {
		var args = SampleSupport.ownResources(this.dir, SampleSupport.uniqueKey("sample-state"));
		args.removeIf((arg) -> arg.startsWith("--order-desk.dir="));
		args.add("--order-desk.dir=" + desk);
		return SampleSupport.run(args.toArray(String[]::new));
	}

}
