package dev.ipcboot.process;

import java.util.List;

/**
 * A stand-in application for {@link ParentDeathTests}: starts {@code sleep 300} through a
 * {@link DefaultProcessManager}, prints its pid and waits to be killed.
 */
public final class ParentDeathMain {

	private ParentDeathMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		DefaultProcessManager manager = new DefaultProcessManager(List.of(), new ProcessChannels(List.of()),
				(event) -> {
				});
		boolean dieWithParent = Boolean.parseBoolean(args[0]);
		ManagedProcess sleep = manager.start(ProcessSpec.of("orphan", "sleep", "300").withDieWithParent(dieWithParent));
		System.out.println(sleep.pid());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
