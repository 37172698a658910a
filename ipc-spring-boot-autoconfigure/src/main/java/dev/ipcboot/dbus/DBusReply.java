package dev.ipcboot.dbus;

import java.util.Arrays;

/**
 * The reply to an untyped method call: its signature and its values in order. Values keep
 * dbus-java's types for containers; unsigned integers are {@link Number}s, object paths
 * strings, variants their value, and UNIX file descriptors {@link DBusFileDescriptor}
 * handles.
 *
 * @param signature D-Bus signature of the reply, empty for none
 * @param values the values, in order
 */
public record DBusReply(String signature, Object[] values) {

	/**
	 * Number of values.
	 * @return the count
	 */
	public int size() {
		return this.values.length;
	}

	/**
	 * One value.
	 * @param index its position
	 * @return the value
	 * @throws IndexOutOfBoundsException if the reply has fewer values
	 */
	public Object get(int index) {
		return this.values[index];
	}

	/**
	 * One value as a given type; numbers convert between {@code Integer}, {@code Long}
	 * and the dbus-java unsigned types.
	 * @param <T> the type
	 * @param index its position
	 * @param type the expected type
	 * @return the value
	 * @throws ClassCastException if the value has another type
	 */
	public <T> T get(int index, Class<T> type) {
		Object value = this.values[index];
		if (value instanceof Number number) {
			if (type == Long.class || type == long.class) {
				return (T) Long.valueOf(number.longValue());
			}
			if (type == Integer.class || type == int.class) {
				return (T) Integer.valueOf(number.intValue());
			}
		}
		if (type == boolean.class && value instanceof Boolean) {
			return (T) value;
		}
		return type.cast(value);
	}

	/**
	 * The UNIX file descriptor at a position.
	 * @param index its position
	 * @return the descriptor handle; close it to release the descriptor
	 * @throws ClassCastException if the value is not a descriptor
	 */
	public DBusFileDescriptor fileDescriptor(int index) {
		return get(index, DBusFileDescriptor.class);
	}

	@Override
	public String toString() {
		return "DBusReply[" + this.signature + " " + Arrays.deepToString(this.values) + "]";
	}

}
