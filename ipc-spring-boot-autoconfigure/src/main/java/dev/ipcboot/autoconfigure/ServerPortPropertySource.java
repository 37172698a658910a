package dev.ipcboot.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

import dev.ipcboot.socket.SocketServerStartedEvent;

/**
 * Publishes the bound port of each TCP server as {@code local.ipc.server.<name>.port}, as
 * Spring Boot does with {@code local.server.port}, so that tests and clients can find a
 * server started with {@code port: 0}.
 */
final class ServerPortPropertySource implements ApplicationListener<SocketServerStartedEvent> {

	static final String NAME = "ipc.server.ports";

	private final ConfigurableEnvironment environment;

	ServerPortPropertySource(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onApplicationEvent(SocketServerStartedEvent event) {
		if (event.port() < 0) {
			return;
		}
		MutablePropertySources sources = this.environment.getPropertySources();
		PropertySource<?> source = sources.get(NAME);
		if (source == null) {
			source = new MapPropertySource(NAME, new HashMap<>());
			sources.addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put("local.ipc.server." + event.resourceName() + ".port",
				event.port());
	}

}
