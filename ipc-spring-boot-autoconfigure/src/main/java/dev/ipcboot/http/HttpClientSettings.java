package dev.ipcboot.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code RestClient} over a Unix-domain socket.
 *
 * @param name the client's name in configuration, also its bean qualifier
 * @param path absolute path of the server's socket file
 * @param baseUrl the URL requests are relative to: its host goes in the {@code Host}
 * header, its path prefixes every request's path; its port is not used
 * @param connectTimeout how long connecting to the socket may take
 * @param readTimeout how long a whole response may take
 */
public record HttpClientSettings(String name, Path path, URI baseUrl, Duration connectTimeout, Duration readTimeout) {
}
