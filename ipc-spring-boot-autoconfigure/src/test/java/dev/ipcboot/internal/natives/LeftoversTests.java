package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.ipcboot.internal.natives.Leftovers.Kind;
import dev.ipcboot.testsupport.LogLines;
import dev.ipcboot.testsupport.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reclaiming what dead instances recorded: only from a run directory that is this uid's
 * and private, only entries of dead instances, only objects still the recorded ones and
 * owned by this uid. The hostile cases have {@code nobody} prepare the run directory.
 */
@Tag("hostile")
@ExtendWith(OutputCaptureExtension.class)
class LeftoversTests {

	@TempDir
	Path temp;

	private final List<Path> outsideTemp = new ArrayList<>();

	@AfterEach
	void removeWhatNobodyMade() throws Exception {
		for (Path path : this.outsideTemp) {
			new ProcessBuilder("rm", "-rf", "--", path.toString()).start().waitFor();
		}
	}

	@Test
	void deadInstancesObjectsAreRemovedAndItsRecordToo() throws Exception {
		Path run = privateRun();
		Path directory = Files.createDirectory(this.temp.resolve("bind"));
		Files.createFile(directory.resolve("s"));
		Path file = Files.createFile(this.temp.resolve("key"));
		Path record = record(run, deadInstance(), entry(Kind.DIRECTORY, directory), entry(Kind.FILE, file));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(directory).doesNotExist();
		assertThat(file).doesNotExist();
		assertThat(record).doesNotExist();
	}

	@Test
	void recordsRemovedBetweenTheListingAndTheirReadingAreSkippedWithoutAWarning(CapturedOutput output)
			throws Exception {
		// a live instance that closed, or another instance starting at the same time that
		// reclaimed them, removed these records after this one listed the directory
		Path run = privateRun();
		Path file = Files.createFile(this.temp.resolve("key"));
		Path present = record(run, deadInstance(), entry(Kind.FILE, file));
		Path removedDead = run.resolve(deadInstance().fileName());
		Path removedLive = run.resolve(InstanceId.current().fileName());
		new Leftovers.Reclaim(run).run(List.of(removedLive, removedDead, present));
		assertThat(file).doesNotExist();
		assertThat(present).doesNotExist();
		assertThat(removedDead).doesNotExist();
		// only lines about this test's run directory: the output capture takes the whole
		// JVM's, and another context's reclaim may run meanwhile
		LogLines lines = LogLines.of(output);
		assertThat(lines.mentioning("Refused the record", run.toString())).isEmpty();
		assertThat(lines.mentioning("Could not reclaim", run.toString())).isEmpty();
	}

	@Test
	void socketFileLinkedFromItsBindDirectoryIsRemovedWithTheDirectory() throws Exception {
		Path run = privateRun();
		Path directory = Files.createDirectory(this.temp.resolve(".orders.sock.x"));
		Path bound = Files.createFile(directory.resolve("s"));
		Path socket = Files.createLink(this.temp.resolve("orders.sock"), bound);
		// recorded in the order the binder records them
		record(run, deadInstance(), entry(Kind.DIRECTORY, directory), entry(Kind.FILE, socket));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(directory).doesNotExist();
		assertThat(socket).doesNotExist();
	}

	@Test
	void objectsOfAnInstanceOfAnEarlierBootAreRemovedThoughItsPidAndStartTimeAreOurs() throws Exception {
		Path run = privateRun();
		Path directory = Files.createDirectory(this.temp.resolve("bind"));
		InstanceId self = InstanceId.current();
		record(run, new InstanceId("0".repeat(32), self.namespace(), self.pid(), self.startTicks()),
				entry(Kind.DIRECTORY, directory));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(directory).doesNotExist();
	}

	@Test
	void objectsOfAnInstanceInAnotherPidNamespaceAreKept() throws Exception {
		Path run = privateRun();
		Path directory = Files.createDirectory(this.temp.resolve("bind"));
		InstanceId dead = deadInstance();
		record(run, new InstanceId(dead.boot(), dead.namespace() + 1, dead.pid(), dead.startTicks()),
				entry(Kind.DIRECTORY, directory));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(directory).exists();
	}

	@Test
	void liveInstancesObjectsAreKept() throws Exception {
		Path run = privateRun();
		Path directory = Files.createDirectory(this.temp.resolve("bind"));
		InstanceId self = InstanceId.current();
		Path record = record(run, self, entry(Kind.DIRECTORY, directory));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(directory).exists();
		assertThat(record).exists();
	}

	@Test
	void objectReplacedSinceTheRecordIsKept() throws Exception {
		Path run = privateRun();
		Path file = Files.createFile(this.temp.resolve("key"));
		String recorded = entry(Kind.FILE, file);
		Files.delete(file);
		Files.createFile(file);
		record(run, deadInstance(), recorded);
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(file).exists();
	}

	@Test
	void recordOverTheSizeCapIsNotReadAndWhatItListsSurvives() throws Exception {
		Path run = privateRun();
		Path file = Files.createFile(this.temp.resolve("key"));
		List<String> lines = new ArrayList<>(List.of(entry(Kind.FILE, file)));
		String filler = "#".repeat(1023);
		for (long size = 0; size <= Leftovers.MAX_RECORD_BYTES; size += filler.length() + 1) {
			lines.add(filler);
		}
		Path record = record(run, deadInstance(), lines.toArray(String[]::new));
		assertThat(Files.size(record)).isGreaterThan(Leftovers.MAX_RECORD_BYTES);
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(file).as("listed by a record too large to be one of ours").exists();
		assertThat(record).exists();
	}

	@Test
	void objectThatNobodyOwnsIsKeptThoughADeadInstanceListedIt() throws Exception {
		Tools.requireRoot("creates a file as nobody with setpriv");
		Path shared = Files.createDirectory(this.temp.resolve("shared"));
		Files.setPosixFilePermissions(this.temp, PosixFilePermissions.fromString("rwx--x--x"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		Path file = shared.resolve("theirs");
		asNobody("touch", file.toString());
		Path run = privateRun();
		record(run, deadInstance(), entry(Kind.FILE, file));
		assertThat(Leftovers.reclaimIn(run)).isTrue();
		assertThat(file).exists();
	}

	@Test
	void runDirectoryPreparedByNobodyIsRefusedAndTheVictimItListsSurvives() throws Exception {
		Tools.requireRoot("prepares the run directory as nobody with setpriv");
		Path victim = Files.createFile(this.temp.resolve("victim"));
		Files.setPosixFilePermissions(this.temp, PosixFilePermissions.fromString("rwx--x--x"));
		Path run = Path.of("/tmp", "ipcboot-hostile-" + UUID.randomUUID());
		this.outsideTemp.add(run);
		asNobody("mkdir", "-m", "0777", run.toString());
		// what a root application would write, planted by nobody
		String planted = entry(Kind.FILE, victim);
		asNobody("sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "sh", planted,
				run.resolve(deadInstance().fileName()).toString());
		assertThat(Leftovers.reclaimIn(run)).as("a run directory of nobody is refused").isFalse();
		assertThat(victim).exists();
	}

	@Test
	void runDirectoryThatIsASymbolicLinkIsRefused() throws Exception {
		Tools.requireRoot("makes the link as nobody with setpriv");
		Path target = Files.createDirectory(this.temp.resolve("elsewhere"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path run = Path.of("/tmp", "ipcboot-hostile-" + UUID.randomUUID());
		this.outsideTemp.add(run);
		asNobody("ln", "-s", target.toString(), run.toString());
		assertThat(Leftovers.reclaimIn(run)).isFalse();
		assertThat(Files.isSymbolicLink(run)).isTrue();
	}

	private Path privateRun() throws IOException {
		return Files.createDirectory(this.temp.resolve("run"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
	}

	// a child that has been reaped: its pid with its start time names no process now
	private static InstanceId deadInstance() throws Exception {
		Process child = new ProcessBuilder("true").start();
		long start = InstanceId.startTicks(child.pid());
		child.waitFor();
		return InstanceId.of(child.pid(), (start >= 0) ? start : 1);
	}

	private static String entry(Kind kind, Path path) {
		String identity = Identity.of(kind, path.toString());
		assertThat(identity).as("identity of " + path).isNotNull();
		return kind + "\t" + identity + "\t" + path;
	}

	private static Path record(Path run, InstanceId instance, String... entries) throws IOException {
		Path record = run.resolve(instance.fileName());
		Files.write(record, List.of(entries));
		Files.setPosixFilePermissions(record, PosixFilePermissions.fromString("rw-------"));
		return record;
	}

	private static void asNobody(String... command) throws Exception {
		List<String> full = new ArrayList<>(List.of(Tools.require("setpriv", "util-linux").toString(),
				"--reuid=" + Tools.NOBODY, "--regid=" + Tools.NOBODY, "--clear-groups"));
		full.addAll(List.of(command));
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("%s as nobody: %s", String.join(" ", command), output).isZero();
		assertThat(Files.exists(Path.of(command[command.length - 1]), LinkOption.NOFOLLOW_LINKS)
				|| command[0].equals("sh"))
			.isTrue();
	}

}
