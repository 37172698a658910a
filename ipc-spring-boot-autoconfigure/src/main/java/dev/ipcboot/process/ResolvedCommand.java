package dev.ipcboot.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A spec's command checked and resolved for one start.
 *
 * @param program absolute path of the program
 * @param command {@code argv}, the program as given first
 * @param directory absolute working directory, {@code null} for the application's
 * @param environment the child's whole environment
 */
record ResolvedCommand(String program, List<String> command, @Nullable Path directory,
		Map<String, String> environment) {

	List<String> environmentEntries() {
		List<String> entries = new ArrayList<>(this.environment.size());
		this.environment.forEach((name, value) -> entries.add(name + "=" + value));
		return entries;
	}

}
