package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import dev.ipcboot.shm.SharedMemorySettings.Access;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;

/**
 * Shared memory segments ({@code ipc.shared-memory.<name>}).
 */
@ConfigurationProperties("ipc")
public class SharedMemoryProperties {

	/**
	 * Shared memory segments by name; each is a SharedMemory bean qualified by its name.
	 */
	private Map<String, Segment> sharedMemory = new LinkedHashMap<>();

	public Map<String, Segment> getSharedMemory() {
		return this.sharedMemory;
	}

	public void setSharedMemory(Map<String, Segment> sharedMemory) {
		this.sharedMemory = sharedMemory;
	}

	/**
	 * One segment.
	 */
	public static class Segment {

		/**
		 * Key other processes use to find the segment. Defaults to the segment's name.
		 */
		private @Nullable String key;

		/**
		 * Size of the segment. Required unless the mode is attach, where it is the least
		 * size expected.
		 */
		private @Nullable DataSize size;

		/**
		 * Whether to create the segment, attach to an existing one, or either.
		 */
		private Mode mode = Mode.CREATE_OR_ATTACH;

		/**
		 * Whether this process may write (read-write) or only read (read-only).
		 */
		private Access access = Access.READ_WRITE;

		/**
		 * Permission bits of a created segment, in octal; an existing one with a looser
		 * mode is refused.
		 */
		private String permissions = "0600";

		/**
		 * Uids besides this application's own that may own an existing segment (and its
		 * lock and key file) that this application opens instead of creating; any other
		 * owner is refused, since another user could have created it first to read or
		 * block it.
		 */
		private List<Integer> allowedOwners = new ArrayList<>();

		/**
		 * Whether a created segment stays after this application closes it.
		 */
		private boolean persist;

		/**
		 * Operating system facility: posix (/dev/shm, what Python's
		 * multiprocessing.shared_memory uses) or system-v.
		 */
		private Backend backend = Backend.POSIX;

		/**
		 * Whether to name the segment and its lock as Qt's QSharedMemory does for the
		 * same key (of the kind qt-key-type says), so that a Qt program shares the
		 * segment and its lock. Overrides backend.
		 */
		private boolean qtCompatible;

		/**
		 * Key type of the Qt program when qt-compatible is set: system-v for Qt 5, Qt 6
		 * before 6.6 and the string constructor of later Qt 6 (a QSharedMemory("key")),
		 * posix for a Qt 6.6+ QSharedMemory(QSharedMemory::platformSafeKey("key")).
		 */
		private QtKeyType qtKeyType = QtKeyType.SYSTEM_V;

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public @Nullable DataSize getSize() {
			return this.size;
		}

		public void setSize(@Nullable DataSize size) {
			this.size = size;
		}

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public Access getAccess() {
			return this.access;
		}

		public void setAccess(Access access) {
			this.access = access;
		}

		public String getPermissions() {
			return this.permissions;
		}

		public void setPermissions(String permissions) {
			this.permissions = permissions;
		}

		public List<Integer> getAllowedOwners() {
			return this.allowedOwners;
		}

		public void setAllowedOwners(List<Integer> allowedOwners) {
			this.allowedOwners = allowedOwners;
		}

		public boolean isPersist() {
			return this.persist;
		}

		public void setPersist(boolean persist) {
			this.persist = persist;
		}

		public Backend getBackend() {
			return this.backend;
		}

		public void setBackend(Backend backend) {
			this.backend = backend;
		}

		public boolean isQtCompatible() {
			return this.qtCompatible;
		}

		public void setQtCompatible(boolean qtCompatible) {
			this.qtCompatible = qtCompatible;
		}

		public QtKeyType getQtKeyType() {
			return this.qtKeyType;
		}

		public void setQtKeyType(QtKeyType qtKeyType) {
			this.qtKeyType = qtKeyType;
		}

	}

}
