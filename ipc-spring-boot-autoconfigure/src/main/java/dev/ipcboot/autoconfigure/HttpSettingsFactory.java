package dev.ipcboot.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;

import org.jspecify.annotations.Nullable;
import org.springframework.util.StringUtils;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.http.HttpClientSettings;
import dev.ipcboot.http.HttpServerSettings;

/**
 * Turns {@code ipc.http.*} into the settings records of {@code dev.ipcboot.http}, naming
 * the property and the fix when a value cannot work.
 */
final class HttpSettingsFactory {

	static final String SERVER = "ipc.http.server";

	static final String CLIENTS = "ipc.http.clients.";

	private HttpSettingsFactory() {
	}

	static HttpServerSettings server(HttpProperties.Server server) {
		Path path = socketPath(SERVER, server.getPath(), server.getName());
		return new HttpServerSettings(path, server.getPermissions().posix(), new HashSet<>(server.getAllowedUids()));
	}

	static HttpClientSettings client(String name, HttpProperties.Client client) {
		String property = CLIENTS + name;
		Path path = socketPath(property, client.getPath(), client.getName());
		URI baseUrl = baseUrl(property + ".base-url", client.getBaseUrl());
		positive(property + ".connect-timeout", client.getConnectTimeout());
		positive(property + ".read-timeout", client.getReadTimeout());
		return new HttpClientSettings(name, path, baseUrl, client.getConnectTimeout(), client.getReadTimeout());
	}

	private static Path socketPath(String property, @Nullable String path, @Nullable String name) {
		if (StringUtils.hasText(path) && StringUtils.hasText(name)) {
			throw new IpcConfigurationException(property + ".path",
					"both path (" + path + ") and name (" + name + ") are set",
					"Set either path (an absolute socket path) or name (resolved in $TMPDIR or /tmp).");
		}
		if (StringUtils.hasText(path)) {
			if (!path.startsWith("/")) {
				throw new IpcConfigurationException(property + ".path", "'" + path + "' is not an absolute path",
						"Give an absolute socket path, or use name for a socket file in the temp directory.");
			}
			return Path.of(path);
		}
		if (StringUtils.hasText(name)) {
			if (name.startsWith("/")) {
				return Path.of(name);
			}
			// like QLocalServer: a name that is not absolute lives in QDir::tempPath()
			String tmp = System.getenv("TMPDIR");
			return Path.of(StringUtils.hasText(tmp) ? tmp : "/tmp", name);
		}
		throw new IpcConfigurationException(property + ".path", "no socket path or name is set",
				"Set path to an absolute socket path (for example /run/user/1000/app.sock) or name to a"
						+ " Qt-style server name.");
	}

	private static URI baseUrl(String property, String value) {
		try {
			URI uri = new URI(value);
			if (("http".equals(uri.getScheme())) && uri.getHost() != null) {
				return uri;
			}
		}
		catch (URISyntaxException ex) {
			// reported below with the fix
		}
		throw new IpcConfigurationException(property, "'" + value + "' is not an http URL with a host",
				"Use an http URL such as http://localhost or http://localhost/api/v1: the host goes in the"
						+ " Host header, the path prefixes every request; the socket, not the URL, says where to connect.");
	}

	private static void positive(String property, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IpcConfigurationException(property, "must be positive, is " + duration,
					"Set a positive duration such as 5s.");
		}
	}

}
