package dev.ipcboot.autoconfigure;

import java.util.Set;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.type.AnnotationMetadata;

import dev.ipcboot.IpcConfigurationException;
import dev.ipcboot.semaphore.SemaphoreSettings;
import dev.ipcboot.semaphore.SemaphoreSettings.Backend;
import dev.ipcboot.semaphore.SystemSemaphore;
import dev.ipcboot.semaphore.SystemSemaphoreException;
import dev.ipcboot.semaphore.SystemSemaphoreFactory;

/**
 * Registers one {@link SystemSemaphore} bean per {@code ipc.semaphores.<name>} entry,
 * named {@code ipc.semaphores.<name>} and qualified by {@code <name>}. Invalid entries
 * fail start-up with an {@link IpcConfigurationException} naming the property.
 */
class SemaphoreBeanRegistrar extends NamedBeanRegistrar {

	private static final String PREFIX = "ipc.semaphores.";

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		bind(SemaphoreProperties.class, SemaphoreProperties::getSemaphores, FacilitySwitch.SEMAPHORES).keySet()
			.forEach((name) -> register(registry, PREFIX, name, SystemSemaphore.class, "semaphore"));
	}

	/**
	 * Open the semaphore of one entry; the factory method of the registered beans.
	 * @param name the entry's name
	 * @param properties the bound properties
	 * @param factory the semaphore factory
	 * @return the semaphore
	 */
	static SystemSemaphore semaphore(String name, SemaphoreProperties properties, SystemSemaphoreFactory factory) {
		SemaphoreSettings settings = settings(name, entry(properties.getSemaphores(), PREFIX, name));
		try {
			return factory.open(name, settings);
		}
		catch (SystemSemaphoreException ex) {
			throw openFailure(PREFIX + name, ex,
					"Fix the semaphore '" + settings.key() + "' as the problem says, or change " + PREFIX + name
							+ " (key, mode, backend, permissions, allowed-owners).");
		}
	}

	static SemaphoreSettings settings(String name, SemaphoreProperties.Semaphore semaphore) {
		String key = keyOf(name, semaphore.getKey());
		int value = semaphore.getInitialValue();
		if (value < 0 || value > SemaphoreSettings.MAX_VALUE) {
			throw new IpcConfigurationException(PREFIX + name + ".initial-value",
					"semaphore '" + key + "' has initial value " + value,
					"Set " + PREFIX + name + ".initial-value between 0 and " + SemaphoreSettings.MAX_VALUE + ".");
		}
		int permissions = octal(PREFIX + name + ".permissions", semaphore.getPermissions());
		Backend backend = semaphore.getBackend();
		if (semaphore.isQtCompatible()) {
			// Qt 6.6+ names a POSIX semaphore /<key> and creates, opens and removes it
			// exactly as the posix backend does
			backend = (semaphore.getQtKeyType() == QtKeyType.POSIX) ? Backend.POSIX : Backend.QT;
		}
		else if (semaphore.getQtKeyType() != QtKeyType.SYSTEM_V) {
			throw qtKeyTypeWithoutQt(PREFIX + name, "backend: posix");
		}
		try {
			return new SemaphoreSettings(key, value, semaphore.getMode(), permissions, semaphore.isPersist(), backend,
					Set.copyOf(semaphore.getAllowedOwners()));
		}
		catch (IllegalArgumentException ex) {
			throw invalidKey(PREFIX + name, ex, SemaphoreSettings.MAX_KEY_LENGTH);
		}
	}

}
