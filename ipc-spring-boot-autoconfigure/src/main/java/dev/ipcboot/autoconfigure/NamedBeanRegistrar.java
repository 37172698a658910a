package dev.ipcboot.autoconfigure;

import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

import dev.ipcboot.IpcConfigurationException;

/**
 * Base of the registrars that turn a named configuration map ({@code ipc.clients},
 * {@code ipc.shared-memory}, {@code ipc.semaphores}) into one bean per entry, named
 * {@code <prefix><name>} and injectable with {@code @Qualifier("<name>")}. The beans are
 * created lazily through the facility's factory bean, so a user's factory applies; a bean
 * the user defined under the same bean name is kept. The definitions are static factory
 * methods with the entry's name as argument, which {@code spring-boot:process-aot} writes
 * out as code (an instance supplier it could not).
 */
abstract class NamedBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * The bean factory, for what a registrar decides at registration time (its class
	 * loader, for example).
	 * @return the bean factory
	 */
	protected BeanFactory beanFactory() {
		Assert.state(this.beanFactory != null, "BeanFactory is required");
		return this.beanFactory;
	}

	/**
	 * Bind a properties class from {@code ipc} and take its named map.
	 * @param <P> the properties type
	 * @param <E> the entry type
	 * @param type the properties class
	 * @param map the getter of the map
	 * @return the entries, empty when none are configured
	 */
	protected <P, E> Map<String, E> bind(Class<P> type, Function<P, Map<String, E>> map) {
		Assert.state(this.environment != null, "Environment is required");
		return Binder.get(this.environment).bind("ipc", type).map(map).orElse(Map.of());
	}

	/**
	 * Bind a properties class from {@code ipc} and take its named map, leaving out the
	 * facility's switch that sits among the map's entries.
	 * @param <P> the properties type
	 * @param <E> the entry type
	 * @param type the properties class
	 * @param map the getter of the map
	 * @param facility the facility whose switch is named after the map
	 * @return the entries, empty when none are configured
	 */
	protected <P, E> Map<String, E> bind(Class<P> type, Function<P, Map<String, E>> map, FacilitySwitch facility) {
		Assert.state(this.environment != null, "Environment is required");
		return Binder.get(this.environment)
			.bind("ipc", Bindable.of(type), facility.skipSwitch(BindHandler.DEFAULT))
			.map(map)
			.orElse(Map.of());
	}

	/**
	 * Register the bean of one entry unless a bean of that name exists. The definition
	 * names a static factory method of this registrar's class that takes the entry's name
	 * first and has its other parameters autowired, so ahead-of-time processing can write
	 * it out as code; the method reads the entry from the bound properties when the bean
	 * is created, so a value changed at run time applies.
	 * @param registry the registry
	 * @param prefix the bean name prefix, the property prefix of the map
	 * @param name the entry's name, also its qualifier
	 * @param type the bean type
	 * @param factoryMethod the name of the static factory method on this class
	 * @return the definition, registered; {@code null} when a bean of that name existed
	 */
	protected @Nullable RootBeanDefinition register(BeanDefinitionRegistry registry, String prefix, String name,
			Class<?> type, String factoryMethod) {
		return register(registry, prefix, name, type, getClass(), factoryMethod);
	}

	/**
	 * Register the bean of one entry, created by a static factory method of another class
	 * (a nested class that only loads an optional library when the entry uses it).
	 * @param registry the registry
	 * @param prefix the bean name prefix, the property prefix of the map
	 * @param name the entry's name, also its qualifier
	 * @param type the bean type
	 * @param factoryClass the class declaring the factory method
	 * @param factoryMethod the name of the static factory method, whose first parameter
	 * is the entry's name
	 * @return the definition, registered; {@code null} when a bean of that name existed
	 */
	protected @Nullable RootBeanDefinition register(BeanDefinitionRegistry registry, String prefix, String name,
			Class<?> type, Class<?> factoryClass, String factoryMethod) {
		String beanName = prefix + name;
		if (registry.containsBeanDefinition(beanName)) {
			return null;
		}
		RootBeanDefinition definition = new RootBeanDefinition(factoryClass);
		definition.setFactoryMethodName(factoryMethod);
		definition.setTargetType(type);
		definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
		definition.setDestroyMethodName("close");
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		registry.registerBeanDefinition(beanName, definition);
		return definition;
	}

	/**
	 * The entry a bean is created from, which ahead-of-time processing may have
	 * registered from a configuration the running application no longer has.
	 * @param <E> the entry type
	 * @param entries the bound entries
	 * @param prefix the property prefix of the map
	 * @param name the entry's name
	 * @return the entry
	 * @throws IpcConfigurationException naming the property when the entry is gone
	 */
	protected static <E> E entry(Map<String, E> entries, String prefix, String name) {
		E entry = entries.get(name);
		if (entry == null) {
			throw entryGone(prefix, name);
		}
		return entry;
	}

	/**
	 * The failure for a bean registered for an entry that the running application does
	 * not configure: with {@code spring.aot.enabled=true} the bean definitions are those
	 * of the configuration {@code process-aot} saw.
	 * @param prefix the property prefix of the map
	 * @param name the entry's name
	 * @return the failure, naming the entry
	 */
	static IpcConfigurationException entryGone(String prefix, String name) {
		return new IpcConfigurationException(prefix + name,
				"the bean '" + prefix + name + "' was registered for this entry, but it is not configured now",
				"Configure " + prefix + name + " again, or, with spring.aot.enabled=true, run process-aot again:"
						+ " the set of entries is fixed when the application is processed ahead of time.");
	}

	/**
	 * The key other processes find an entry's resource by.
	 * @param name the entry's name
	 * @param key the configured key, or {@code null}
	 * @return the configured key, else the name
	 */
	protected static String keyOf(String name, @Nullable String key) {
		return (key != null) ? key : name;
	}

	/**
	 * Parse permission bits given in octal.
	 * @param property the property, for the message
	 * @param permissions the configured value, for example {@code "0600"}
	 * @return the bits
	 * @throws IpcConfigurationException naming the property unless the value is octal
	 * permission bits
	 */
	protected static int octal(String property, String permissions) {
		try {
			int bits = Integer.parseInt(permissions, 8);
			if ((bits & ~0777) == 0) {
				return bits;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the property and the fix
		}
		throw new IpcConfigurationException(property, "'" + permissions + "' is not an octal permission mode",
				"Use octal permission bits in quotes, for example \"0600\" (owner only) or \"0660\" (owner and group).");
	}

	/**
	 * The failure for a key the facility's settings reject.
	 * @param entry the entry's property, {@code <prefix><name>}
	 * @param ex what the settings threw
	 * @param maxLength the longest key the facility takes
	 * @return the failure, naming {@code <entry>.key}
	 */
	protected static IpcConfigurationException invalidKey(String entry, IllegalArgumentException ex, int maxLength) {
		return new IpcConfigurationException(entry + ".key", ex.getMessage(),
				"Set " + entry + ".key to a name without '/' of at most " + maxLength + " characters.");
	}

	/**
	 * The failure for an entry whose resource could not be opened, caused by what the
	 * facility threw.
	 * @param property the property to name
	 * @param ex what the facility threw; its message is the problem
	 * @param action what to do about it
	 * @return the failure
	 */
	protected static IpcConfigurationException openFailure(String property, RuntimeException ex, String action) {
		IpcConfigurationException failure = new IpcConfigurationException(property, ex.getMessage(), action);
		failure.initCause(ex);
		return failure;
	}

	/**
	 * The failure for an entry that sets {@code qt-key-type} without
	 * {@code qt-compatible}, where it would silently do nothing.
	 * @param entry the entry's property, {@code <prefix><name>}
	 * @param alternative the setting for the same objects without Qt's naming
	 * @return the failure, naming {@code <entry>.qt-key-type}
	 */
	protected static IpcConfigurationException qtKeyTypeWithoutQt(String entry, String alternative) {
		return new IpcConfigurationException(entry + ".qt-key-type",
				"qt-key-type posix only applies with qt-compatible: true",
				"Set " + entry + ".qt-compatible=true to share it with a Qt program, or remove qt-key-type and use "
						+ alternative + " for a plain POSIX object.");
	}

}
