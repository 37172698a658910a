package dev.ipcboot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SemaphoreSettings.Mode;

/**
 * System semaphores ({@code ipc.semaphores.<name>}).
 */
@ConfigurationProperties("ipc")
public class SemaphoreProperties {

	/**
	 * System semaphores by name; each is a SystemSemaphore bean qualified by its name.
	 */
	private Map<String, Semaphore> semaphores = new LinkedHashMap<>();

	public Map<String, Semaphore> getSemaphores() {
		return this.semaphores;
	}

	public void setSemaphores(Map<String, Semaphore> semaphores) {
		this.semaphores = semaphores;
	}

	/**
	 * One semaphore.
	 */
	public static class Semaphore {

		/**
		 * Key other processes use to find the semaphore. Defaults to the semaphore's
		 * name.
		 */
		private @Nullable String key;

		/**
		 * Value of the semaphore when this application creates (or, in create mode,
		 * resets) it.
		 */
		private int initialValue = 1;

		/**
		 * Whether to open the semaphore (creating it if missing) or create it, resetting
		 * a left-over one to the initial value (Qt's QSystemSemaphore::AccessMode).
		 */
		private Mode mode = Mode.OPEN;

		/**
		 * Permission bits of a created semaphore, in octal; an existing one with a looser
		 * mode is refused.
		 */
		private String permissions = "0600";

		/**
		 * Uids besides this application's own that may own an existing semaphore (and its
		 * key file) that this application opens instead of creating; any other owner is
		 * refused, since another user could have created it first to hold or starve it.
		 */
		private List<Integer> allowedOwners = new ArrayList<>();

		/**
		 * Whether a created semaphore stays after this application closes it.
		 */
		private boolean persist;

		/**
		 * Operating system facility: system-v (units of a process that dies come back) or
		 * posix (a named semaphore in /dev/shm; units of a dead process are lost).
		 */
		private Backend backend = Backend.SYSTEM_V;

		/**
		 * Whether to name the semaphore as Qt's QSystemSemaphore does for the same key
		 * (of the kind qt-key-type says), so that a Qt program shares it. Overrides
		 * backend.
		 */
		private boolean qtCompatible;

		/**
		 * Key type of the Qt program when qt-compatible is set: system-v for Qt 5, Qt 6
		 * before 6.6 and the string constructor of later Qt 6 (a
		 * QSystemSemaphore("key")), posix for a Qt 6.6+
		 * QSystemSemaphore(QSystemSemaphore::platformSafeKey("key")).
		 */
		private QtKeyType qtKeyType = QtKeyType.SYSTEM_V;

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public int getInitialValue() {
			return this.initialValue;
		}

		public void setInitialValue(int initialValue) {
			this.initialValue = initialValue;
		}

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
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
