package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import dev.ipcboot.testsupport.Tools;

/**
 * A stranger for the hostile tests: a process of {@code nobody}, leading a session and
 * process group of its own, started with a chosen pid by writing
 * {@code /proc/sys/kernel/ns_last_pid} (root only) until a fork gets it.
 */
final class Strangers {

	// forks until the child gets the wanted pid; the child becomes nobody's session and
	// group leader and sleeps, or with "orphaned" leaves a sleeping member of its group
	// (printing its pid) and exits, so that the group lives on without a leader
	private static final String STRANGER = """
			import os, sys
			target = int(sys.argv[1])
			orphaned = len(sys.argv) > 2
			for attempt in range(200):
			    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
			        f.write(str(target - 1))
			    pid = os.fork()
			    if pid == 0:
			        if os.getpid() == target:
			            os.setsid()
			            if orphaned:
			                member = os.fork()
			                if member != 0:
			                    print(member, flush=True)
			                    os._exit(0)
			            os.setgroups([])
			            os.setgid(65534)
			            os.setuid(65534)
			            os.execvp("sleep", ["sleep", "300"])
			        os._exit(0)
			    if pid == target:
			        if orphaned:
			            os.waitpid(pid, 0)
			        print(pid, flush=True)
			        sys.exit(0)
			    os.waitpid(pid, 0)
			print(-1, flush=True)
			""";

	private Strangers() {
	}

	/**
	 * Start {@code sleep 300} as nobody with the given pid.
	 * @return the pid it got, {@code -1} if another process kept taking it
	 */
	static long startWithPid(long pid) throws Exception {
		Process helper = new ProcessBuilder(Tools.PYTHON, "-c", STRANGER, Long.toString(pid))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String line = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.US_ASCII))
			.readLine();
		helper.waitFor();
		return Long.parseLong(line.strip());
	}

	/**
	 * Start a group of nobody's with the given id whose leader has exited: one
	 * {@code sleep 300} member left, in the group and session of that id.
	 * @return the group id it got ({@code -1} if another process kept taking it) and the
	 * member's pid
	 */
	static long[] startLeaderlessGroupWithId(long group) throws Exception {
		Process helper = new ProcessBuilder(Tools.PYTHON, "-c", STRANGER, Long.toString(group), "orphaned")
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		BufferedReader output = new BufferedReader(
				new InputStreamReader(helper.getInputStream(), StandardCharsets.US_ASCII));
		String first = output.readLine();
		String second = output.readLine();
		helper.waitFor();
		if (second == null) {
			return new long[] { Long.parseLong(first.strip()), -1 };
		}
		return new long[] { Long.parseLong(second.strip()), Long.parseLong(first.strip()) };
	}

}
