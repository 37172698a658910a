package dev.ipcboot.dbus;

import org.jspecify.annotations.Nullable;

import dev.ipcboot.IpcEvent;

/**
 * Published when a name of {@code ipc.dbus.watch-names} appears on the bus, moves to
 * another owner, or vanishes, like Qt's {@code QDBusServiceWatcher}.
 * {@link #resourceName()} is the watched name.
 */
public class DBusNameOwnerChangedEvent extends IpcEvent {

	/** What happened to the name. */
	public enum Change {

		/** The name had no owner and now has one. */
		APPEARED,

		/** The name passed from one owner to another. */
		MOVED,

		/** The name had an owner and now has none. */
		VANISHED

	}

	private final @Nullable String oldOwner;

	private final @Nullable String newOwner;

	/**
	 * Create a new event.
	 * @param source the bus connection
	 * @param name the watched name
	 * @param oldOwner unique name of the previous owner, or {@code null}
	 * @param newOwner unique name of the new owner, or {@code null}
	 */
	public DBusNameOwnerChangedEvent(Object source, String name, @Nullable String oldOwner, @Nullable String newOwner) {
		super(source, name);
		this.oldOwner = oldOwner;
		this.newOwner = newOwner;
	}

	/**
	 * The watched name.
	 * @return the name
	 */
	public String name() {
		return resourceName();
	}

	/**
	 * Previous owner.
	 * @return unique name of the previous owner, or {@code null} if the name appeared
	 */
	public @Nullable String oldOwner() {
		return this.oldOwner;
	}

	/**
	 * New owner.
	 * @return unique name of the new owner, or {@code null} if the name vanished
	 */
	public @Nullable String newOwner() {
		return this.newOwner;
	}

	/**
	 * What happened to the name.
	 * @return appeared, moved or vanished
	 */
	public Change change() {
		if (this.oldOwner == null) {
			return Change.APPEARED;
		}
		return (this.newOwner == null) ? Change.VANISHED : Change.MOVED;
	}

	@Override
	public String toString() {
		return "DBusNameOwnerChangedEvent[" + name() + " " + change() + " " + this.oldOwner + " -> " + this.newOwner
				+ "]";
	}

}
