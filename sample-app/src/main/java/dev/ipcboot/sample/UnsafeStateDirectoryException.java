package dev.ipcboot.sample;

import java.nio.file.Path;

/**
 * The configured {@code order-desk.dir} is not safe to use: a symbolic link, not a
 * directory, another user's, or open to other users.
 * {@link StateDirectoryFailureAnalyzer} turns it into a start-up report.
 */
class UnsafeStateDirectoryException extends IllegalStateException {

	private final Path directory;

	private final String fix;

	UnsafeStateDirectoryException(Path directory, String problem, String fix) {
		super("order-desk.dir " + directory + " " + problem + "; " + fix);
		this.directory = directory;
		this.fix = fix;
	}

	Path directory() {
		return this.directory;
	}

	String fix() {
		return this.fix;
	}

}
