package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.Leftovers.Kind;

/**
 * Removes one recorded object of a dead instance if that is provably safe, and says why
 * not otherwise.
 */
final class Remover {

	enum Outcome {

		/** Removed now. */
		REMOVED,
		/** Gone already, or replaced by another object of the same name. */
		GONE,
		/** A live process uses it: kept, tried again at the next start. */
		IN_USE,
		/** Belongs to another uid: never touched. */
		NOT_OURS

	}

	private Remover() {
	}

	static Outcome remove(Kind kind, String identity, String name, InstanceId creator) {
		return switch (kind) {
			case DIRECTORY, FILE -> removeFile(kind, identity, Path.of(name));
			case POSIX_SHM, POSIX_SEM -> removePosix(kind, identity, name);
			case SYSV_SHM -> removeSegment(identity, name, creator);
			case SYSV_SEM -> removeSemaphore(identity, name);
		};
	}

	private static Outcome removeFile(Kind kind, String identity, Path path) {
		Outcome check = check(kind, identity, path.toString(), path);
		if (check != Outcome.REMOVED) {
			return check;
		}
		try (Stream<Path> paths = (kind == Kind.DIRECTORY) ? Files.walk(path) : Stream.of(path)) {
			// walk does not follow links: a link inside is removed, never its target
			for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(each);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not remove " + path, ex);
		}
		return Outcome.REMOVED;
	}

	private static Outcome removePosix(Kind kind, String identity, String name) {
		Path file = Leftovers.shmFile(kind, name);
		Outcome check = check(kind, identity, name, file);
		if (check != Outcome.REMOVED) {
			return check;
		}
		if (mapped(identity)) {
			return Outcome.IN_USE;
		}
		if (kind == Kind.POSIX_SHM) {
			int fd = IpcNatives.shmOpen(name, false, true, 0);
			try {
				if (IpcNatives.inUseByOthers(fd, name)) {
					return Outcome.IN_USE;
				}
			}
			finally {
				IpcNatives.close(fd, name);
			}
			IpcNatives.shmUnlink(name);
		}
		else {
			IpcNatives.semUnlink(name);
		}
		return Outcome.REMOVED;
	}

	// REMOVED here means: still the recorded object and ours, go ahead
	private static Outcome check(Kind kind, String identity, String name, Path path) {
		String now = Identity.of(kind, name);
		if (now == null || !now.equals(identity)) {
			return Outcome.GONE;
		}
		try {
			int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
			return (uid == Ownership.currentUid()) ? Outcome.REMOVED : Outcome.NOT_OURS;
		}
		catch (IOException ex) {
			return Outcome.GONE;
		}
	}

	// Any process mapping a /dev/shm file with this inode (a peer that does not mark its
	// use, such as Qt or Python); maps of other users are unreadable unless root, but a
	// 0600 object of ours is mapped only by this uid or root.
	private static boolean mapped(String identity) {
		String inode = " " + identity.substring(0, identity.indexOf(':')) + " ";
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				List<String> lines;
				try {
					lines = Files.readAllLines(process.resolve("maps"));
				}
				catch (IOException ex) {
					continue; // ended, or another user's
				}
				for (String line : lines) {
					if (line.contains(" /dev/shm/") && line.replaceAll(" +", " ").contains(inode)) {
						return true;
					}
				}
			}
		}
		catch (IOException ex) {
			return true; // cannot tell: keep it
		}
		return false;
	}

	private static Outcome removeSegment(String identity, String name, InstanceId creator) {
		int id = Integer.parseInt(name);
		long[] stat = Identity.segmentStat(id);
		if (stat == null || !Long.toString(stat[6]).equals(identity)) {
			return Outcome.GONE;
		}
		if (stat[4] != Ownership.currentUid()) {
			return Outcome.NOT_OURS;
		}
		long creatorPid = stat[5];
		if (stat[1] > 0 || (creatorPid != creator.pid() && InstanceId.isAlive(creatorPid))) {
			return Outcome.IN_USE;
		}
		IpcNatives.shmRemove(id, name);
		return Outcome.REMOVED;
	}

	private static Outcome removeSemaphore(String identity, String name) {
		int id = Integer.parseInt(name);
		long @Nullable [] stat = Identity.semaphoreStat(id);
		if (stat == null || !Long.toString(stat[3]).equals(identity)) {
			return Outcome.GONE;
		}
		if (stat[2] != Ownership.currentUid()) {
			return Outcome.NOT_OURS;
		}
		IpcNatives.semRemove(id, name);
		return Outcome.REMOVED;
	}

}
