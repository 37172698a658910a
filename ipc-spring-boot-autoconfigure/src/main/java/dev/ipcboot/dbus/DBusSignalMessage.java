package dev.ipcboot.dbus;

import java.util.Arrays;

/**
 * One signal received from the bus, in JDK shapes: unsigned integers arrive as the
 * dbus-java number types (all {@link Number}s), object paths as their string form.
 *
 * @param sender unique bus name of the sender, for example {@code :1.7}
 * @param path object path the signal came from
 * @param interfaceName interface of the signal
 * @param member name of the signal
 * @param signature D-Bus signature of the arguments
 * @param args the arguments, in order
 */
public record DBusSignalMessage(String sender, String path, String interfaceName, String member, String signature,
		Object[] args) {

	/**
	 * One argument of the signal.
	 * @param index the argument index
	 * @return the argument
	 * @throws IndexOutOfBoundsException if the signal has fewer arguments
	 */
	public Object arg(int index) {
		return this.args[index];
	}

	@Override
	public String toString() {
		return this.interfaceName + "." + this.member + " from " + this.sender + " at " + this.path + " "
				+ Arrays.deepToString(this.args);
	}

}
