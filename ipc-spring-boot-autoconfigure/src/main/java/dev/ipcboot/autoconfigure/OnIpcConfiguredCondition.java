package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The condition of {@link ConditionalOnIpcConfigured}: the property names first, the
 * class path only when a facility is configured.
 */
class OnIpcConfiguredCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnIpcConfigured.class.getName());
		String[] prefixes = (String[]) attributes.get("value");
		String configured = null;
		for (String prefix : prefixes) {
			if (isConfigured(context.getEnvironment(), prefix)) {
				configured = prefix;
				break;
			}
		}
		if (configured == null) {
			return ConditionOutcome.noMatch("nothing is configured under " + String.join(", ", prefixes));
		}
		for (String required : (String[]) attributes.get("requiredClasses")) {
			if (!ClassUtils.isPresent(required, context.getClassLoader())) {
				return ConditionOutcome
					.noMatch(configured + " is configured, but " + required + " is not on the class path");
			}
		}
		return ConditionOutcome.match(configured + " is configured");
	}

	/**
	 * Whether a property below the prefix is set, other than {@code <prefix>.enabled}.
	 * @param environment the environment
	 * @param prefix for example {@code ipc.dbus}
	 * @return whether the application configured something there
	 */
	static boolean isConfigured(Environment environment, String prefix) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
		ConfigurationPropertyName enabled = name.append("enabled");
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				if (iterable.stream()
					.anyMatch((candidate) -> name.isAncestorOf(candidate) && !candidate.equals(enabled))) {
					return true;
				}
			}
			else if (source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
				return true;
			}
		}
		return false;
	}

}
