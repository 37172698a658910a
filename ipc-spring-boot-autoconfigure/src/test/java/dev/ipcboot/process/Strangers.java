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
	// group leader and sleeps
	private static final String STRANGER = """
			import os, sys
			target = int(sys.argv[1])
			for attempt in range(200):
			    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
			        f.write(str(target - 1))
			    pid = os.fork()
			    if pid == 0:
			        if os.getpid() == target:
			            os.setsid()
			            os.setgroups([])
			            os.setgid(65534)
			            os.setuid(65534)
			            os.execvp("sleep", ["sleep", "300"])
			        os._exit(0)
			    if pid == target:
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

}
