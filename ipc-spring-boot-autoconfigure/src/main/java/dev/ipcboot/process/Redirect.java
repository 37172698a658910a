package dev.ipcboot.process;

import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Where a standard stream of a child goes, as Qt's {@code setStandardOutputFile} and
 * {@code nullDevice()} set it: a pipe to the application (the default), the null device,
 * or a file. Set up by the spawn itself, never through a shell.
 *
 * @param type pipe, null device, file or append
 * @param file the file for {@link Type#FILE} and {@link Type#APPEND}, absolute
 */
public record Redirect(Type type, @Nullable Path file) {

	/** A pipe: stdin written with {@link ManagedProcess#write}, output to listeners. */
	public static final Redirect PIPE = new Redirect(Type.PIPE, null);

	/** The null device: no input, output discarded. */
	public static final Redirect NULL = new Redirect(Type.NULL, null);

	/**
	 * Check the redirect.
	 * @throws IllegalArgumentException if a file redirect has no file or another has one
	 */
	public Redirect {
		if ((type == Type.FILE || type == Type.APPEND) != (file != null)) {
			throw new IllegalArgumentException("Redirect " + type + " needs a file exactly when it is file or append");
		}
		if (file != null) {
			file = file.toAbsolutePath();
		}
	}

	/**
	 * A file: read as standard input, or created (owner-only) or truncated as output.
	 * Relative paths are resolved against the application's working directory.
	 * @param file the file
	 * @return the redirect
	 */
	public static Redirect file(Path file) {
		return new Redirect(Type.FILE, file);
	}

	/**
	 * A file that output is appended to, created owner-only if missing.
	 * @param file the file
	 * @return the redirect
	 */
	public static Redirect append(Path file) {
		return new Redirect(Type.APPEND, file);
	}

	/**
	 * Parse the configuration form: {@code pipe}, {@code null}, {@code file:<path>} or
	 * {@code append:<path>}.
	 * @param value the text
	 * @return the redirect
	 * @throws IllegalArgumentException naming the accepted forms if the text is none of
	 * them
	 */
	public static Redirect parse(String value) {
		String trimmed = value.trim();
		String lower = trimmed.toLowerCase(Locale.ROOT);
		if (lower.equals("pipe")) {
			return PIPE;
		}
		if (lower.equals("null")) {
			return NULL;
		}
		if (lower.startsWith("file:") && trimmed.length() > 5) {
			return file(Path.of(trimmed.substring(5)));
		}
		if (lower.startsWith("append:") && trimmed.length() > 7) {
			return append(Path.of(trimmed.substring(7)));
		}
		throw new IllegalArgumentException(
				"'" + value + "' is not a redirect; use pipe, null, file:<path> or" + " append:<path>");
	}

	/**
	 * The configuration form of this redirect.
	 * @return {@code pipe}, {@code null}, {@code file:<path>} or {@code append:<path>}
	 */
	@Override
	public String toString() {
		return switch (this.type) {
			case PIPE -> "pipe";
			case NULL -> "null";
			case FILE -> "file:" + this.file;
			case APPEND -> "append:" + this.file;
		};
	}

	/** What a stream is connected to. */
	public enum Type {

		/** A pipe to or from the application. */
		PIPE,

		/** The null device. */
		NULL,

		/** A file: read, or written from the start. */
		FILE,

		/** A file written at its end (output only). */
		APPEND

	}

}
