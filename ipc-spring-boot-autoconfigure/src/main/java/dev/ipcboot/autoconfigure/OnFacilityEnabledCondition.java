package dev.ipcboot.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.Assert;

/**
 * The condition of {@link ConditionalOnFacilityEnabled}.
 */
class OnFacilityEnabledCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnFacilityEnabled.class.getName());
		Assert.state(attributes != null, "@ConditionalOnFacilityEnabled is required");
		FacilitySwitch facility = (FacilitySwitch) attributes.get("value");
		return facility.isEnabled(context.getEnvironment())
				? ConditionOutcome.match(facility.property() + " is not false") : ConditionOutcome
					.noMatch(facility.property() + " (or " + facility.deprecatedProperty() + ") is false");
	}

}
