package dev.ipcboot.actuate;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.ipcboot.internal.IpcResource;
import dev.ipcboot.internal.IpcResourceState;
import dev.ipcboot.IpcResourceStatus;
import dev.ipcboot.listener.IpcChannel;
import dev.ipcboot.listener.IpcListenerEndpoint;
import dev.ipcboot.listener.IpcListenerEndpointRegistry;

/**
 * The {@code ipc} actuator endpoint ({@code /actuator/ipc}): every channel with its kind,
 * configuration property and listeners, and every resource with its kind, status and
 * details (bound address, connection count, pid and restarts, bus name, segment size). A
 * channel that is also a resource (a socket server) shows its state too.
 */
@Endpoint(id = "ipc")
public class IpcEndpoint {

	private final @Nullable IpcListenerEndpointRegistry registry;

	private final Supplier<Stream<? extends IpcResource>> resources;

	/**
	 * Create the endpoint.
	 * @param registry the listener registry that knows the channels, or {@code null}
	 * @param resources supplies the current resources of every facility
	 */
	public IpcEndpoint(@Nullable IpcListenerEndpointRegistry registry,
			Supplier<Stream<? extends IpcResource>> resources) {
		this.registry = registry;
		this.resources = resources;
	}

	/**
	 * Describe every channel and resource.
	 * @return the description, serialised as JSON
	 */
	@ReadOperation
	public IpcDescriptor ipc() {
		return new IpcDescriptor(channels(), resourceDescriptors());
	}

	/**
	 * Describe the channel and the resources of one name ({@code /actuator/ipc/orders}):
	 * a server, the client of the same name, a process.
	 * @param name the name in configuration
	 * @return the description, or {@code null} (a 404) when nothing has that name
	 */
	@ReadOperation
	public @Nullable IpcDescriptor named(@Selector String name) {
		Map<String, ChannelDescriptor> channels = new TreeMap<>(channels());
		channels.keySet().retainAll(List.of(name));
		List<ResourceDescriptor> resources = resourceDescriptors().stream()
			.filter((resource) -> resource.name().equals(name))
			.toList();
		return (channels.isEmpty() && resources.isEmpty()) ? null : new IpcDescriptor(channels, resources);
	}

	private Map<String, ChannelDescriptor> channels() {
		Map<String, ChannelDescriptor> channels = new TreeMap<>();
		if (this.registry == null) {
			return channels;
		}
		List<IpcListenerEndpoint> endpoints = this.registry.getEndpoints();
		this.registry.getChannels().forEach((name, channel) -> channels.put(name, describe(channel, endpoints)));
		return channels;
	}

	private static ChannelDescriptor describe(IpcChannel channel, List<IpcListenerEndpoint> endpoints) {
		List<String> listeners = endpoints.stream()
			.filter((endpoint) -> endpoint.channels().contains(channel.name()))
			.map(IpcListenerEndpoint::describe)
			.sorted()
			.toList();
		IpcResourceState state = (channel instanceof IpcResource resource) ? safeState(resource) : null;
		return new ChannelDescriptor(channel.kind(), channel.property(), listeners,
				(state != null) ? state.status() : null, (state != null) ? state.reason() : null,
				(state != null) ? state.details() : null);
	}

	private List<ResourceDescriptor> resourceDescriptors() {
		return this.resources.get().map((resource) -> {
			IpcResourceState state = safeState(resource);
			return new ResourceDescriptor(resource.name(), resource.kind(), state.status(), state.reason(),
					state.details());
		}).sorted(Comparator.comparing(ResourceDescriptor::kind).thenComparing(ResourceDescriptor::name)).toList();
	}

	private static IpcResourceState safeState(IpcResource resource) {
		try {
			return resource.state();
		}
		catch (RuntimeException ex) {
			// one misbehaving resource must not hide the others
			return IpcResourceState.unknown("state() failed: " + ex);
		}
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param channels every channel by name
	 * @param resources every resource, sorted by kind and name
	 */
	public record IpcDescriptor(Map<String, ChannelDescriptor> channels,
			List<ResourceDescriptor> resources) implements OperationResponseBody {

	}

	/**
	 * One channel.
	 *
	 * @param kind what kind of channel it is
	 * @param property the configuration property that defines it
	 * @param listeners the listener methods attached to it
	 * @param status its status when the channel is also a resource, else {@code null}
	 * @param reason why it is not up, or {@code null}
	 * @param details its details when the channel is also a resource, else {@code null}
	 */
	public record ChannelDescriptor(String kind, String property, List<String> listeners,
			@Nullable IpcResourceStatus status, @Nullable String reason, @Nullable Map<String, Object> details) {

	}

	/**
	 * One resource.
	 *
	 * @param name its name in configuration
	 * @param kind what kind of resource it is
	 * @param status its status
	 * @param reason why it is not up, or {@code null}
	 * @param details its details
	 */
	public record ResourceDescriptor(String name, String kind, IpcResourceStatus status, @Nullable String reason,
			Map<String, Object> details) {

	}

}
