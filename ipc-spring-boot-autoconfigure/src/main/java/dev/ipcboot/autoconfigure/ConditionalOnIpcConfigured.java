package dev.ipcboot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application configured the facility: a property below one of the
 * prefixes is set (its {@code enabled} switch aside), and only then checks that the
 * facility's library is on the class path. An application that configures nothing so pays
 * for a look at its property names and loads none of the facility's classes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnIpcConfiguredCondition.class)
@interface ConditionalOnIpcConfigured {

	/**
	 * Property prefixes of the facility, such as {@code ipc.servers}.
	 * @return the prefixes
	 */
	String[] value();

	/**
	 * Classes the facility needs, checked only once it is configured.
	 * @return the class names
	 */
	String[] requiredClasses() default {};

}
