package dev.ipcboot.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The effective uid of this process, read once from {@code /proc/self}. */
final class OwnUser {

	static final Set<Integer> UIDS = Set.of(uid());

	private OwnUser() {
	}

	private static int uid() {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new IllegalStateException("cannot read this process's uid from /proc/self: " + ex, ex);
		}
	}

}
