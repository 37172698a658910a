package dev.ipcboot.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.natives.Leftovers.Kind;

/**
 * What tells a recorded object from another one that took its name later: the inode of a
 * file, directory or POSIX object ({@code <ino>:<dev>}), the key of a System V object.
 */
final class Identity {

	private Identity() {
	}

	/**
	 * The identity of an object now.
	 * @return it, or {@code null} if the object does not exist
	 */
	static @Nullable String of(Kind kind, String name) {
		return switch (kind) {
			case DIRECTORY, FILE -> ofFile(Path.of(name));
			case POSIX_SHM, POSIX_SEM -> ofFile(Leftovers.shmFile(kind, name));
			case SYSV_SHM -> {
				long[] stat = segmentStat(Integer.parseInt(name));
				yield (stat != null) ? Long.toString(stat[6]) : null;
			}
			case SYSV_SEM -> {
				long[] stat = semaphoreStat(Integer.parseInt(name));
				yield (stat != null) ? Long.toString(stat[3]) : null;
			}
		};
	}

	private static @Nullable String ofFile(Path path) {
		try {
			Map<String, Object> attributes = Files.readAttributes(path, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS);
			return attributes.get("ino") + ":" + attributes.get("dev");
		}
		catch (IOException ex) {
			return null;
		}
	}

	static long @Nullable [] segmentStat(int id) {
		try {
			return SystemVIpc.shmStat(id, Integer.toString(id));
		}
		catch (NativeCallException ex) {
			return null; // EINVAL or EIDRM: removed
		}
	}

	static long @Nullable [] semaphoreStat(int id) {
		try {
			return SystemVIpc.semStat(id, Integer.toString(id));
		}
		catch (NativeCallException ex) {
			return null;
		}
	}

}
