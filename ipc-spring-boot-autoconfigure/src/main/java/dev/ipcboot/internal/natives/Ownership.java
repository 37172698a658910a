package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Who owns a shared memory segment, semaphore or key file that this process opened rather
 * than created, and whether to trust it: an object owned (or, for System V, created) by
 * another uid than this process's effective uid, unless that uid is allowed, or with a
 * mode looser than the configured permissions, could have been planted by another user to
 * read, change or block what this application shares. Refusals are logged at WARN, at
 * most one line per object every {@link #WARN_INTERVAL} with a count of the rest.
 */
public final class Ownership {

	/** Shortest time between two warnings about the same object. */
	public static final Duration WARN_INTERVAL = RefusalLog.INTERVAL;

	private static final Log logger = LogFactory.getLog(Ownership.class);

	private Ownership() {
	}

	/**
	 * The effective uid of this process ({@code geteuid}).
	 * @return the uid objects of this application are owned by
	 */
	public static int currentUid() {
		return PosixIpc.effectiveUid();
	}

	/**
	 * The owner and mode of an open descriptor, as {@code fstat} gives them: read through
	 * {@code /proc/self/fd}, which the kernel resolves to the open file itself, so the
	 * answer is about the object this process opened even if the name was replaced
	 * meanwhile.
	 * @param fd the descriptor
	 * @param name the key for messages
	 * @return its owner and mode
	 * @throws UncheckedIOException if it cannot be read
	 */
	public static Owner ofDescriptor(int fd, String name) {
		return ofFile(Path.of("/proc/self/fd", Integer.toString(fd)), true, name);
	}

	/**
	 * The owner and mode of a file, without following a symbolic link at its name.
	 * @param file the file
	 * @return its owner and mode
	 * @throws UncheckedIOException if it cannot be read
	 */
	public static Owner ofFile(Path file) {
		return ofFile(file, false, file.toString());
	}

	private static Owner ofFile(Path file, boolean follow, String name) {
		LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] { LinkOption.NOFOLLOW_LINKS };
		try {
			Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,mode", options);
			int uid = (Integer) attributes.get("uid");
			return new Owner(uid, uid, (Integer) attributes.get("mode") & 0777);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the owner of " + name, ex);
		}
	}

	/**
	 * Why an object that exists already must not be used, if it must not.
	 * @param what the object as the user knows it, for example
	 * {@code Shared memory 'frames'}
	 * @param object the operating system object, for example {@code /dev/shm/frames}
	 * @param removal how to remove it by hand, for example {@code rm /dev/shm/frames}
	 * @param owner its owner and mode
	 * @param permissions the configured permission bits; -1 to check the owner only (key
	 * files, whose mode protects nothing)
	 * @param allowedOwners other uids trusted to own it
	 * @return {@code null} if it may be used, else the refusal (already logged at WARN)
	 */
	public static @Nullable String refusal(String what, String object, String removal, Owner owner, int permissions,
			Set<Integer> allowedOwners) {
		int self = currentUid();
		String problem = null;
		for (int uid : new int[] { owner.uid(), owner.creatorUid() }) {
			if (uid != self && !allowedOwners.contains(uid)) {
				problem = what + " (" + object + ") already exists and belongs to uid " + uid + " (mode "
						+ octal(owner.mode()) + "), not to this application's uid " + self
						+ "; another user may have created it to read, change or block what this application "
						+ "shares, so it is not used. Remove it if it is not meant to be shared (" + removal
						+ "), or, if uid " + uid + " is trusted to share it, add " + uid
						+ " to the allowed-owners of this entry";
				break;
			}
		}
		if (problem == null && permissions >= 0 && (owner.mode() & ~permissions) != 0) {
			problem = what + " (" + object + ") already exists with mode " + octal(owner.mode())
					+ ", looser than the configured permissions " + octal(permissions)
					+ "; other users may read, change or block it, so it is not used. Remove it (" + removal
					+ ") so that it is created again with " + octal(permissions) + ", or configure permissions "
					+ octal(owner.mode()) + " if that access is intended";
		}
		if (problem != null) {
			warn(object, problem);
		}
		return problem;
	}

	private static void warn(String object, String problem) {
		RefusalLog.warn(logger, object, "Refused: " + problem);
	}

	static String octal(int mode) {
		return String.format("0%03o", mode);
	}

	/**
	 * The owner of an object.
	 *
	 * @param uid the owner uid
	 * @param creatorUid the creator uid (System V keeps it apart from the owner, which
	 * its owner may change; for files the owner)
	 * @param mode the permission bits
	 */
	public record Owner(int uid, int creatorUid, int mode) {
	}

}
