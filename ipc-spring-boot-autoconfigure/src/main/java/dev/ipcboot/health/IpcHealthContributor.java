package dev.ipcboot.health;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

import dev.ipcboot.internal.IpcResource;

/**
 * The {@code ipc} health contributor: one member per kind of resource
 * ({@code local-server}, {@code tcp-client}, {@code d-bus-connection}, {@code process},
 * ...), each with one {@link IpcResourceHealthIndicator} per resource, so that a server
 * and a client of the same name do not collide. Resources are read from the facilities'
 * sources on every check, so processes started at run time appear and disappear by
 * themselves.
 */
public class IpcHealthContributor implements CompositeHealthContributor {

	private final Supplier<Stream<? extends IpcResource>> resources;

	/**
	 * Create the contributor.
	 * @param resources supplies the current resources of every facility
	 */
	public IpcHealthContributor(Supplier<Stream<? extends IpcResource>> resources) {
		this.resources = resources;
	}

	/**
	 * The key of a kind of resource in health: lower case, words joined by hyphens
	 * ({@code D-Bus connection} becomes {@code d-bus-connection}).
	 * @param kind the kind, as {@link IpcResource#kind()} reports it
	 * @return the key
	 */
	public static String key(String kind) {
		String key = kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
		return key.replaceAll("^-|-$", "");
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		Map<String, IpcResource> members = byKind().get(name);
		return (members != null) ? CompositeHealthContributor.fromMap(members, IpcResourceHealthIndicator::new) : null;
	}

	@Override
	public Stream<Entry> stream() {
		return byKind().entrySet()
			.stream()
			.map((kind) -> new Entry(kind.getKey(),
					CompositeHealthContributor.fromMap(kind.getValue(), IpcResourceHealthIndicator::new)));
	}

	private Map<String, Map<String, IpcResource>> byKind() {
		return this.resources.get()
			.collect(Collectors.groupingBy((resource) -> key(resource.kind()), TreeMap::new, Collectors.toMap(
					IpcResource::name, (resource) -> (IpcResource) resource, (first, second) -> first, TreeMap::new)));
	}

}
