package dev.ipcboot.shm;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.ipcboot.internal.natives.Ownership;

/**
 * Refuses a segment, lock or key file that exists already and that another user could
 * have planted: see {@link Ownership}.
 */
final class OwnerCheck {

	private OwnerCheck() {
	}

	/**
	 * @param what the object for messages, for example {@code Shared memory 'frames'}
	 * @param object the operating system object
	 * @param removal how to remove it by hand
	 * @param owner its owner and mode
	 * @param permissions the permissions it may have at most; -1 for a key file
	 * @throws SharedMemoryException if it must not be used
	 */
	static void check(SharedMemorySettings settings, String what, String object, String removal, Ownership.Owner owner,
			int permissions) {
		String refusal = Ownership.refusal(what, object, removal, owner, permissions, settings.allowedOwners());
		if (refusal != null) {
			throw new SharedMemoryException(settings.key(), refusal);
		}
	}

	/** The owner of a key file Qt or this starter did not just create. */
	static void checkKeyFile(SharedMemorySettings settings, String what, Path file) {
		Ownership.Owner owner;
		try {
			owner = Ownership.ofFile(file);
		}
		catch (UncheckedIOException ex) {
			throw new SharedMemoryException(settings.key(), ex.getMessage(), ex);
		}
		check(settings, what, file.toString(), "rm " + file, owner, -1);
	}

}
