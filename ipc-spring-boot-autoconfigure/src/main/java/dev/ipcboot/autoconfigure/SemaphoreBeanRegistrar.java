package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
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
class SemaphoreBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private static final String PREFIX = "ipc.semaphores.";

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, SemaphoreProperties.Semaphore> semaphores = Binder.get(this.environment)
			.bind("ipc", Bindable.of(SemaphoreProperties.class))
			.map(SemaphoreProperties::getSemaphores)
			.orElse(Map.of());
		semaphores.forEach((name, semaphore) -> {
			RootBeanDefinition definition = new RootBeanDefinition(SystemSemaphore.class);
			definition.setInstanceSupplier(() -> open(name, semaphore));
			definition.setDestroyMethodName("close");
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(PREFIX + name, definition);
		});
	}

	private SystemSemaphore open(String name, SemaphoreProperties.Semaphore semaphore) {
		SemaphoreSettings settings = settings(name, semaphore);
		try {
			return this.beanFactory.getBean(SystemSemaphoreFactory.class).open(name, settings);
		}
		catch (SystemSemaphoreException ex) {
			IpcConfigurationException failure = new IpcConfigurationException(PREFIX + name, ex.getMessage(),
					"Fix the semaphore '" + settings.key() + "' as the problem says, or change " + PREFIX + name
							+ " (key, mode, backend, permissions).");
			failure.initCause(ex);
			throw failure;
		}
	}

	static SemaphoreSettings settings(String name, SemaphoreProperties.Semaphore semaphore) {
		String key = (semaphore.getKey() != null) ? semaphore.getKey() : name;
		int value = semaphore.getInitialValue();
		if (value < 0 || value > SemaphoreSettings.MAX_VALUE) {
			throw new IpcConfigurationException(PREFIX + name + ".initial-value",
					"semaphore '" + key + "' has initial value " + value,
					"Set " + PREFIX + name + ".initial-value between 0 and " + SemaphoreSettings.MAX_VALUE + ".");
		}
		int permissions = SharedMemoryBeanRegistrar.octal(PREFIX + name + ".permissions", semaphore.getPermissions());
		Backend backend = semaphore.isQtCompatible() ? Backend.QT : semaphore.getBackend();
		try {
			return new SemaphoreSettings(key, value, semaphore.getMode(), permissions, semaphore.isPersist(), backend);
		}
		catch (IllegalArgumentException ex) {
			throw new IpcConfigurationException(PREFIX + name + ".key", ex.getMessage(), "Set " + PREFIX + name
					+ ".key to a name without '/' of at most " + SemaphoreSettings.MAX_KEY_LENGTH + " characters.");
		}
	}

}
