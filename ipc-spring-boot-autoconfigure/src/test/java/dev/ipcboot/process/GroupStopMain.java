package dev.ipcboot.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A stand-in application for {@link GroupIdReuseTests}: starts the command given as
 * arguments through a {@link DefaultProcessManager} (stop timeout 1 s), prints its pid
 * and the guardian's as {@code pid:N} lines, stops the manager when a line arrives on
 * stdin, prints {@code stopped} and waits to be killed.
 */
public final class GroupStopMain {

	private GroupStopMain() {
	}

	public static void main(String[] args) throws Exception {
		DefaultProcessManager manager = new DefaultProcessManager((event) -> {
		});
		ManagedProcess child = manager.start(ProcessSpec.of("left", args).withStopTimeout(Duration.ofSeconds(1)));
		System.out.println("pid:" + child.pid());
		System.out.println("pid:" + ProcessTestSupport.guardianPid());
		System.out.flush();
		new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
		manager.stop();
		System.out.println("stopped");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
