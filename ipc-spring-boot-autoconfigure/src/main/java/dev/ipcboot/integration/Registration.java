package dev.ipcboot.integration;

import org.springframework.beans.factory.BeanFactory;

import dev.ipcboot.listener.IpcListenerEndpointRegistry;
import dev.ipcboot.listener.IpcMessageListener;

/**
 * Attaches an inbound endpoint to its channel through the listener registry, held until
 * the endpoint starts, so that the endpoint's own lifecycle (and the registry, by its id)
 * starts, stops, pauses and resumes it.
 */
final class Registration {

	private final IpcListenerEndpointRegistry registry;

	private final String id;

	private Registration(IpcListenerEndpointRegistry registry, String id) {
		this.registry = registry;
		this.id = id;
	}

	static Registration attach(BeanFactory beanFactory, String id, String channel, IpcMessageListener listener) {
		IpcListenerEndpointRegistry registry = beanFactory.getBean(IpcListenerEndpointRegistry.class);
		registry.register(id, channel, listener, false);
		return new Registration(registry, id);
	}

	void start() {
		this.registry.start(this.id);
	}

	void stop() {
		this.registry.stop(this.id);
	}

}
