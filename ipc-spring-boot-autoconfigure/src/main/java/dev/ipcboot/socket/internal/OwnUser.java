package dev.ipcboot.socket.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.ipcboot.socket.ServerBinding;

/** The effective uid of this process, read once from {@code /proc/self}. */
public final class OwnUser {

	public static final Set<Integer> UIDS = Set.of(uid());

	private OwnUser() {
	}

	/**
	 * The user ids a local server admits: its {@code allowedUids}, or for an abstract
	 * name without them only the application's own user, because an abstract name has no
	 * file mode that could keep other users out.
	 * @param local the binding
	 * @return the admitted uids; empty admits every peer
	 */
	static Set<Integer> admittedUids(ServerBinding.Local local) {
		if (local.allowedUids().isEmpty() && local.abstractNamespace()) {
			return UIDS;
		}
		return local.allowedUids();
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
