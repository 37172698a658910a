package dev.ipcboot.autoconfigure;

import java.nio.file.Path;

import org.springframework.util.StringUtils;

/**
 * Where Qt puts a local socket given by name, for servers and clients alike: like
 * QLocalServer and QLocalSocket, a name that is not an absolute path lives in
 * {@code QDir::tempPath()} ({@code $TMPDIR}, else {@code /tmp}).
 */
final class QtLocalSocketNames {

	private QtLocalSocketNames() {
	}

	/**
	 * The socket path of a Qt-style server name.
	 * @param name the name, or an absolute path (kept as it is)
	 * @return the path
	 */
	static String path(String name) {
		if (name.startsWith("/")) {
			return name;
		}
		String tmp = System.getenv("TMPDIR");
		return Path.of(StringUtils.hasText(tmp) ? tmp : "/tmp", name).toString();
	}

}
