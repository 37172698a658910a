package dev.ipcboot.process;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.ChildProcesses;
import dev.ipcboot.internal.natives.ChildProcesses.ChildSetup;
import dev.ipcboot.internal.natives.ChildProcesses.SpawnedChild;
import dev.ipcboot.internal.natives.ChildProcesses.Stdio;

/**
 * How the native launcher sets a child apart from the application; the native package
 * carries it out (ADR 0015). Every child leads a process group of its own, so that its
 * descendants can be signalled together; starts with default signal dispositions and an
 * empty mask; inherits no descriptor beyond its three standard streams; and creates its
 * output files owner-only, as the starter's sockets and segments are. C library functions
 * named in the system property {@value #FORCE_MISSING} count as missing, so that tests
 * run the fallbacks on a C library that has everything (ADR 0003).
 */
final class SpawnPolicy {

	/** System property: comma-separated names of spawn functions to treat as missing. */
	static final String FORCE_MISSING = "ipcboot.natives.missing";

	private static final int NEW_FILE_MODE = 0600;

	// A larger pipe lets a fast child run ahead of the reader with fewer context
	// switches; the memory is the kernel's, not the heap's.
	private static final int OUTPUT_PIPE_SIZE = 1024 * 1024;

	private SpawnPolicy() {
	}

	/**
	 * Start a supervised child.
	 * @see ChildProcesses#spawn
	 */
	static SpawnedChild spawn(String executable, List<String> argv, @Nullable String directory,
			List<String> environment, Stdio in, Stdio out, Stdio err) throws IOException {
		return ChildProcesses.spawn(executable, argv, directory, environment, in, out, err, setup());
	}

	/**
	 * Start a helper program whose only input is a pipe from the application: standard
	 * output and error go to {@code /dev/null}, it runs in {@code /} (so that it keeps no
	 * file system busy). When the application dies, the kernel closes the write end and
	 * the program reads end-of-file.
	 * @return the child, with the parent's write end (close-on-exec, so no other child
	 * inherits it) as {@code stdin} and {@code -1} for the other two
	 */
	static SpawnedChild spawnReader(String executable, List<String> argv, List<String> environment) throws IOException {
		return spawn(executable, argv, "/", environment, Stdio.PIPE, Stdio.NULL, Stdio.NULL);
	}

	/**
	 * The optional spawn functions replaced by a fallback, forced ones included.
	 */
	static List<String> missingFunctions() {
		return ChildProcesses.missingFunctions(forcedMissing());
	}

	private static ChildSetup setup() {
		return new ChildSetup(true, true, true, NEW_FILE_MODE, OUTPUT_PIPE_SIZE, forcedMissing());
	}

	private static Set<String> forcedMissing() {
		String forced = System.getProperty(FORCE_MISSING, "");
		return forced.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(forced.split(",")));
	}

}
