package dev.ipcboot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * HTTP over Unix-domain sockets: the embedded web server also listening on a socket file
 * ({@code ipc.http.server}) and {@code RestClient} beans over sockets
 * ({@code ipc.http.clients}).
 */
@AutoConfiguration(after = IpcListenerAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnIpcConfigured("ipc.http")
@EnableConfigurationProperties(HttpProperties.class)
@Import({ HttpServerConfiguration.class, HttpClientConfiguration.class })
public final class HttpAutoConfiguration {

}
