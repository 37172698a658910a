package dev.ipcboot.internal.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.internal.natives.Leftovers.Kind;

/**
 * What tells a recorded object from another one that took its name later: the inode of a
 * directory or POSIX object ({@code <ino>:<dev>}), for a file also its change time (a
 * file system reuses a freed inode at once, and a key file is created again under the
 * same name), the key of a System V object.
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
			case DIRECTORY -> ofFile(Path.of(name), false);
			case FILE -> ofFile(Path.of(name), true);
			case POSIX_SHM, POSIX_SEM -> ofFile(Leftovers.shmFile(kind, name), false);
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

	private static @Nullable String ofFile(Path path, boolean changeTime) {
		try {
			Map<String, Object> attributes = Files.readAttributes(path, "unix:ino,dev,ctime",
					LinkOption.NOFOLLOW_LINKS);
			String inode = attributes.get("ino") + ":" + attributes.get("dev");
			return changeTime ? inode + ":" + ((FileTime) attributes.get("ctime")).to(TimeUnit.NANOSECONDS) : inode;
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
