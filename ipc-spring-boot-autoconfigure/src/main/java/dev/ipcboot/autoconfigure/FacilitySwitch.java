package dev.ipcboot.autoconfigure;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * The on/off switch of a facility whose configuration is a named map, named after that
 * map ({@code ipc.shared-memory.enabled} beside {@code ipc.shared-memory.<name>}), and
 * the older name it replaces, which still works and logs one deprecation warning per
 * application context (ADR 0017). Since the switch sits among the map's entries, binding
 * the map skips it: {@code enabled} cannot name an entry.
 */
enum FacilitySwitch {

	/** Shared memory segments. */
	SHARED_MEMORY("ipc.shared-memory", "ipc.shm.enabled"),

	/** System semaphores. */
	SEMAPHORES("ipc.semaphores", "ipc.semaphore.enabled"),

	/** Managed processes. */
	PROCESSES("ipc.processes", "ipc.process.enabled");

	private static final Log logger = LogFactory.getLog(FacilitySwitch.class);

	private final String map;

	private final ConfigurationPropertyName property;

	private final String deprecatedProperty;

	/** The environments already warned about the deprecated name. */
	private final Set<Environment> warned = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	FacilitySwitch(String map, String deprecatedProperty) {
		this.map = map;
		this.property = ConfigurationPropertyName.of(map + ".enabled");
		this.deprecatedProperty = deprecatedProperty;
	}

	/**
	 * The switch's name.
	 * @return for example {@code ipc.shared-memory.enabled}
	 */
	String property() {
		return this.property.toString();
	}

	/**
	 * The name it replaces.
	 * @return for example {@code ipc.shm.enabled}
	 */
	String deprecatedProperty() {
		return this.deprecatedProperty;
	}

	/**
	 * Whether the facility is on: the switch if set, else the deprecated name if set
	 * (with a warning), else on.
	 * @param environment the environment
	 * @return whether the facility is enabled
	 */
	boolean isEnabled(Environment environment) {
		Boolean enabled = environment.getProperty(property(), Boolean.class);
		Boolean deprecated = environment.getProperty(this.deprecatedProperty, Boolean.class);
		if (deprecated != null && this.warned.add(environment)) {
			logger.warn("Property " + this.deprecatedProperty + " is deprecated"
					+ ((enabled != null) ? " and ignored, since " + property() + " is set" : "") + "; use " + property()
					+ " (the switch is named after the " + this.map + " map)");
		}
		if (enabled != null) {
			return enabled;
		}
		return (deprecated != null) ? deprecated : true;
	}

	/**
	 * The bind handler advisor that keeps the switch out of the map's entries, for
	 * {@code @ConfigurationProperties} binding.
	 * @return the advisor
	 */
	ConfigurationPropertiesBindHandlerAdvisor bindingAdvisor() {
		return this::skipSwitch;
	}

	/**
	 * Wrap a bind handler so that it does not bind the switch as an entry of the map.
	 * @param parent the handler to wrap
	 * @return the wrapping handler
	 */
	BindHandler skipSwitch(BindHandler parent) {
		return new AbstractBindHandler(parent) {

			@Override
			public <T> @Nullable Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target,
					BindContext context) {
				return FacilitySwitch.this.property.equals(name) ? null : super.onStart(name, target, context);
			}

		};
	}

}
