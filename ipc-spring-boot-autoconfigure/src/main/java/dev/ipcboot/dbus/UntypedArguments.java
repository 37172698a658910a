package dev.ipcboot.dbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.types.UInt16;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;

/**
 * Converts JDK values of an untyped call to what dbus-java marshals for the given
 * signature: {@code long} for {@code u}, {@code String} for {@code o}, an {@code int}
 * descriptor for {@code h}, and so on. Containers pass through unchanged.
 */
final class UntypedArguments {

	private UntypedArguments() {
	}

	private static final int MAX_CACHED_SIGNATURES = 256;

	private static final Map<String, List<String>> signatures = new ConcurrentHashMap<>();

	static Object[] convert(String signature, Object[] args) {
		List<String> types = signatures.get(signature);
		if (types == null) {
			types = split(signature);
			// applications use a handful of signatures; a caller that makes up new ones
			// on every call must not grow the cache without bound
			if (signatures.size() < MAX_CACHED_SIGNATURES) {
				signatures.put(signature, types);
			}
		}
		if (types.size() != args.length) {
			throw new IllegalArgumentException("Signature '" + signature + "' has " + types.size() + " arguments but "
					+ args.length + " were given");
		}
		Object[] converted = new Object[args.length];
		for (int i = 0; i < args.length; i++) {
			converted[i] = convert(types.get(i), args[i]);
		}
		return converted;
	}

	private static Object convert(String type, Object value) {
		if (type.length() != 1) {
			return value;
		}
		return switch (type.charAt(0)) {
			case 'u' -> (value instanceof Number n && !(value instanceof UInt32)) ? new UInt32(n.longValue()) : value;
			case 'q' -> (value instanceof Number n && !(value instanceof UInt16)) ? new UInt16(n.intValue()) : value;
			case 't' -> (value instanceof Number n && !(value instanceof UInt64)) ? new UInt64(n.longValue()) : value;
			case 'y' -> (value instanceof Number n) ? n.byteValue() : value;
			case 'n' -> (value instanceof Number n) ? n.shortValue() : value;
			case 'i' -> (value instanceof Number n) ? n.intValue() : value;
			case 'x' -> (value instanceof Number n) ? n.longValue() : value;
			case 'd' -> (value instanceof Number n) ? n.doubleValue() : value;
			case 'o' -> (value instanceof String path) ? new DBusPath(path) : value;
			case 'h' -> (value instanceof Integer fd) ? new FileDescriptor(fd) : value;
			default -> value;
		};
	}

	/** Split a signature into its complete types: {@code sa{sv}u} into s, a{sv}, u. */
	static List<String> split(String signature) {
		List<String> types = new ArrayList<>();
		int i = 0;
		while (i < signature.length()) {
			int end = endOfType(signature, i);
			types.add(signature.substring(i, end));
			i = end;
		}
		return List.copyOf(types);
	}

	private static int endOfType(String signature, int start) {
		char c = signature.charAt(start);
		if (c == 'a') {
			return endOfType(signature, start + 1);
		}
		if (c == '(' || c == '{') {
			char close = (c == '(') ? ')' : '}';
			int i = start + 1;
			while (signature.charAt(i) != close) {
				i = endOfType(signature, i);
			}
			return i + 1;
		}
		return start + 1;
	}

}
