package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import java.time.Duration;

/**
 * A stand-in application for {@link ParentDeathTests}: starts a child through a
 * {@link DefaultProcessManager} ({@code sleep 300} unless a command follows the
 * die-with-parent argument), prints its pid and the guardian's (as {@code pid:N} lines,
 * between log lines), then for each line read from stdin waits until a guardian other
 * than the last one printed runs and prints its pid, until it is killed.
 */
public final class ParentDeathMain {

	private ParentDeathMain() {
	}

	public static void main(String[] args) throws Exception {
		DefaultProcessManager manager = new DefaultProcessManager((event) -> {
		});
		boolean dieWithParent = Boolean.parseBoolean(args[0]);
		List<String> command = (args.length > 1) ? Arrays.asList(args).subList(1, args.length)
				: List.of("sleep", "300");
		ManagedProcess child = manager
			.start(ProcessSpec.of("orphan", command.toArray(String[]::new)).withDieWithParent(dieWithParent));
		System.out.println("pid:" + child.pid());
		int guardian = ProcessTestSupport.guardianPid();
		System.out.println("pid:" + guardian);
		System.out.flush();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		while (input.readLine() != null) {
			// the guardian is replaced and told every group under one lock, so a new pid
			// means the new guardian knows the child
			int previous = guardian;
			guardian = await().atMost(Duration.ofSeconds(30))
				.until(ProcessTestSupport::guardianPid, (pid) -> pid > 0 && pid != previous);
			System.out.println("pid:" + guardian);
			System.out.flush();
		}
		Thread.sleep(Long.MAX_VALUE);
	}

}
