package dev.ipcboot.autoconfigure;

import java.util.Set;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.type.AnnotationMetadata;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.shm.SharedMemory;
import dev.ipcboot.shm.SharedMemoryException;
import dev.ipcboot.shm.SharedMemoryFactory;
import dev.ipcboot.shm.SharedMemorySettings;
import dev.ipcboot.shm.SharedMemorySettings.Backend;
import dev.ipcboot.shm.SharedMemorySettings.Mode;

/**
 * Registers one {@link SharedMemory} bean per {@code ipc.shared-memory.<name>} entry,
 * named {@code ipc.shared-memory.<name>} and qualified by {@code <name>}. Invalid entries
 * fail start-up with an {@link IpcConfigurationException} naming the property.
 */
class SharedMemoryBeanRegistrar extends NamedBeanRegistrar {

	private static final String PREFIX = "ipc.shared-memory.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		bind(SharedMemoryProperties.class, SharedMemoryProperties::getSharedMemory, FacilitySwitch.SHARED_MEMORY)
			.keySet()
			.forEach((name) -> register(registry, PREFIX, name, SharedMemory.class, "segment"));
	}

	/**
	 * Open the segment of one entry; the factory method of the registered beans.
	 * @param name the entry's name
	 * @param properties the bound properties
	 * @param factory the segment factory
	 * @return the segment
	 */
	static SharedMemory segment(String name, SharedMemoryProperties properties, SharedMemoryFactory factory) {
		SharedMemorySettings settings = settings(name, entry(properties.getSharedMemory(), PREFIX, name));
		try {
			return factory.open(name, settings);
		}
		catch (SharedMemoryException ex) {
			String property = PREFIX + name + ((settings.mode() == Mode.ATTACH) ? ".mode" : "");
			throw openFailure(property, ex, "Fix the segment '" + settings.key() + "' as the problem says, or change "
					+ PREFIX + name + " (key, size, mode, access, backend, permissions, allowed-owners).");
		}
	}

	static SharedMemorySettings settings(String name, SharedMemoryProperties.Segment segment) {
		String key = keyOf(name, segment.getKey());
		long size = (segment.getSize() != null) ? segment.getSize().toBytes() : 0;
		if (size <= 0 && segment.getMode() != Mode.ATTACH) {
			throw new IpcConfigurationException(PREFIX + name + ".size",
					"shared memory '" + key + "' needs a positive size to be created, got "
							+ ((segment.getSize() != null) ? segment.getSize() : "none"),
					"Set " + PREFIX + name + ".size to the number of bytes to share, for example 4KB or 16MB.");
		}
		if (size < 0) {
			throw new IpcConfigurationException(PREFIX + name + ".size",
					"shared memory '" + key + "' has a negative size " + segment.getSize(),
					"Set " + PREFIX + name + ".size to the size its creator uses, or leave it out to accept any.");
		}
		int permissions = octal(PREFIX + name + ".permissions", segment.getPermissions());
		Backend backend = segment.getBackend();
		if (segment.isQtCompatible()) {
			backend = (segment.getQtKeyType() == QtKeyType.POSIX) ? Backend.QT_POSIX : Backend.QT;
		}
		else if (segment.getQtKeyType() != QtKeyType.SYSTEM_V) {
			throw qtKeyTypeWithoutQt(PREFIX + name, "backend: posix");
		}
		try {
			return new SharedMemorySettings(key, size, segment.getMode(), segment.getAccess(), permissions,
					segment.isPersist(), backend, Set.copyOf(segment.getAllowedOwners()));
		}
		catch (IllegalArgumentException ex) {
			throw invalidKey(PREFIX + name, ex, SharedMemorySettings.MAX_KEY_LENGTH);
		}
	}

}
