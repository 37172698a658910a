package dev.ipcboot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application asks for the starter's shared infrastructure (ADR 0011,
 * session 8). Without {@link #session()}: a property below {@code ipc} other than the
 * session's and the {@code enabled} switches set to {@code false}, an
 * {@code @IpcListener} method, a bean annotated with {@code @DBusExport}, or a channel
 * source of the application's own. With it: a property below {@code ipc.session} (the
 * same switches aside), {@code NOTIFY_SOCKET}, or a listener of a session event (a bean,
 * an {@code @EventListener} method or a listener the context was given). Evaluated when
 * the bean definitions are registered, so the application's own are known.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnIpcUsedCondition.class)
@interface ConditionalOnIpcUsed {

	/**
	 * Whether the session facility is asked for, rather than the listener, metrics and
	 * health infrastructure.
	 * @return {@code true} for the session facility
	 */
	boolean session() default false;

}
