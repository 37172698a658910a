package dev.ipcboot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches unless the facility's switch ({@code ipc.shared-memory.enabled}, or its
 * deprecated older name) is {@code false}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnFacilityEnabledCondition.class)
@interface ConditionalOnFacilityEnabled {

	/**
	 * The facility.
	 * @return its switch
	 */
	FacilitySwitch value();

}
