package dev.ipcboot.internal.natives;

import java.io.IOException;

/**
 * Descriptor operations the JDK lacks.
 */
public final class FileDescriptors {

	private FileDescriptors() {
	}

	/**
	 * Release what a descriptor refers to while keeping its number open (on
	 * {@code /dev/null}), for descriptors that a library closes again later by number:
	 * the number cannot be reused by another open file in between, so that later close
	 * harms nothing, while the original file (a logind inhibitor pipe, say) is released
	 * now.
	 * @param fd the descriptor number
	 * @throws IOException if {@code /dev/null} cannot be opened or {@code dup2} fails
	 */
	public static void releaseInPlace(int fd) throws IOException {
		DescriptorCalls.replaceWithDevNull(fd);
	}

}
