package dev.ipcboot.testsupport;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Lists the live threads the starter started: every thread of ours has a name that starts
 * with {@code ipc-}. Leak tests wait until this is empty after the context closes.
 */
public final class OurThreads {

	private OurThreads() {
	}

	/**
	 * The names of live threads whose name starts with the prefix.
	 * @param prefix for example {@code ipc-} or {@code ipc-local-orders}
	 * @return the names
	 */
	public static List<String> alive(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.sorted()
			.collect(Collectors.toList());
	}

}
